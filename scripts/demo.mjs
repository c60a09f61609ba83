// `npm start`: the demo exam for the demo roster, with a published demo secret.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DEMO_SECRET = 'rnn-exam-demo-secret-NOT-FOR-REAL-EXAMS';
const bar = '!'.repeat(78);
console.error(`${bar}\n  DEMO ONLY: these papers use a published demo secret. Anyone can recompute them.\n` +
  `  For a real exam make your own secret: openssl rand -hex 32 > exam.secret\n${bar}`);
const bin = fileURLToPath(new URL('../bin/rnn-exam.js', import.meta.url));
const result = spawnSync(process.execPath, [bin, 'generate', '--exam', 'examples/exam.json', '--roster', 'examples/roster.csv', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, RNN_EXAM_SECRET: DEMO_SECRET, RNN_EXAM_ALLOW_DEMO_SECRET: '1' },
});
process.exit(result.status ?? 1);
