// Preloaded into a CLI run (NODE_OPTIONS=--import …) to make the disk "full" for some files:
// every file opened for writing whose path matches RNN_EXAM_TEST_FAIL_PATH (a regular expression)
// gets half its data and then ENOSPC. syncBuiltinESMExports makes `import { open } from
// 'node:fs/promises'` in the tool see the patched function.
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const pattern = process.env.RNN_EXAM_TEST_FAIL_PATH ? new RegExp(process.env.RNN_EXAM_TEST_FAIL_PATH) : undefined;
const original = fs.open;
fs.open = async (path, flags, ...rest) => {
  const handle = await original(path, flags, ...rest);
  if (!pattern || !pattern.test(String(path)) || !String(flags ?? '').includes('w')) return handle;
  return new Proxy(handle, {
    get(target, key) {
      if (key === 'writeFile') {
        return async (data) => {
          await target.write(String(data).slice(0, String(data).length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device (simulated)'), { code: 'ENOSPC' });
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};
syncBuiltinESMExports();
