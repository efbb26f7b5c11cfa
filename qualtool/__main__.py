from qualtool.cli.main import main

main()
