# W8: a Python program that imports a dozen stdlib modules and does small file I/O.
import collections, csv, datetime, decimal, hashlib, io, json, os, pathlib, re, sqlite3, subprocess, tempfile, textwrap, zipfile

d = tempfile.mkdtemp()
rows = [{'id': i, 'name': f'item{i}', 'price': str(decimal.Decimal(i) / 7)} for i in range(2000)]
p = pathlib.Path(d)
(p / 'data.json').write_text(json.dumps(rows))
with open(p / 'data.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=['id', 'name', 'price'])
    w.writeheader()
    w.writerows(rows)
for i in range(200):
    (p / f'f{i}.txt').write_text(textwrap.fill('word ' * 50, 40))
h = hashlib.sha256()
for f in sorted(p.iterdir()):
    h.update(f.read_bytes())
db = sqlite3.connect(str(p / 'x.db'))
db.execute('create table t (id integer, name text)')
db.executemany('insert into t values (?, ?)', [(r['id'], r['name']) for r in rows])
db.commit()
n = db.execute('select count(*) from t').fetchone()[0]
with zipfile.ZipFile(io.BytesIO(), 'w') as z:
    z.writestr('a', 'b' * 1000)
words = collections.Counter(re.findall(r'\w+', (p / 'f0.txt').read_text()))
print(n, len(words), h.hexdigest()[:8], datetime.date(2026, 1, 1).isoformat())
