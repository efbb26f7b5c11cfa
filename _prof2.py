import sys, time, tempfile, cProfile, pstats
from pathlib import Path
from bench.corpus import build
from qualtool.search.query import refresh_index
from qualtool.autocode import suggest as autocode
from qualtool.store import suggestions as S
from qualtool.store.codebook import load_codebook
tmp = tempfile.mkdtemp()
ws = build(Path(tmp)/"b", 10, 10000); refresh_index(ws.db)
cb=load_codebook(ws.db)
for name in ("propose","drop_pending","drop_coded"):
    f=getattr(S,name)
    def wrap(*a, f=f, name=name, **k):
        t=time.time(); r=f(*a,**k); print(name, len(a[1]) if len(a)>1 else '', round(time.time()-t,2)); return r
    setattr(S,name,wrap)
import cProfile, pstats
pr=cProfile.Profile(); pr.enable(); t=time.time(); n = autocode.suggest(ws.db, cb, semantic=False); print("lexical", n, time.time()-t); pr.disable(); pstats.Stats(pr).sort_stats("cumtime").print_stats(8)
print(ws.db.execute("PRAGMA journal_mode").fetchone(), ws.db.execute("PRAGMA synchronous").fetchone())
print([r for r in ws.db.execute("SELECT sql FROM sqlite_master WHERE tbl_name='suggestions'")])
