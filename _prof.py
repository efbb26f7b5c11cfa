import sys, time, tempfile, cProfile, pstats
from pathlib import Path
from bench.corpus import build, word_count
from qualtool.search.query import refresh_index
from qualtool.autocode import suggest as autocode
from qualtool.store.codebook import load_codebook
tmp = tempfile.mkdtemp()
t=time.time(); ws = build(Path(tmp)/"b", int(sys.argv[1]), 10000); refresh_index(ws.db); print("build", time.time()-t, word_count(ws))
cb=load_codebook(ws.db)
t=time.time(); n = autocode.suggest(ws.db, cb, semantic=False); print("lexical", n, time.time()-t)
ws.db.execute("DELETE FROM suggestions"); ws.db.conn.commit()
autocode.semantic_warm = __import__("qualtool.autocode.semantic", fromlist=["x"]).navec_model()
pr = cProfile.Profile(); t=time.time(); pr.enable()
n = autocode.suggest(ws.db, cb)
pr.disable(); print("full", n, time.time()-t)
pstats.Stats(pr).sort_stats("tottime").print_stats(22)
