from qualtool.cli.start import main

main()
