// The error of an SDK call expected to fail, checked to be of the SDK's class, to assert on its status and body.
import assert from 'node:assert/strict';

export async function rejectionOf<E>(p: Promise<unknown>, errorClass: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof errorClass, `expected ${errorClass.name}, got ${err}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
