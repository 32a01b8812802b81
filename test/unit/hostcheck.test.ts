import t from 'tap';
import { checkHost } from '../../src/platform/hostcheck.js';

t.test('kernel versions: refuse below 5.14, notes below 6.6', (t) => {
  t.equal(checkHost('5.10.0-28-amd64').ok, false);
  t.match(checkHost('5.10.0-28-amd64').error, /5\.14/);
  const k515 = checkHost('5.15.0-91-generic');
  t.equal(k515.ok, true);
  t.equal(k515.notes.length, 2, 'no killable waits, no sync wake-up');
  t.equal(checkHost('6.1.0-18-amd64').notes.length, 1);
  t.same(checkHost('6.18.44-fc-v669').notes, []);
  t.same(checkHost('10.0.0').notes, []);
  t.end();
});
