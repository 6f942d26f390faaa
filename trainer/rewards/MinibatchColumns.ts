import type { RewardSignalMinibatch } from './RewardSignal.js';

type Ctor = Float32ArrayConstructor | Int32ArrayConstructor;

/** A column of a minibatch with its type and length checked; throws naming the column. */
export function minibatchColumn<C extends Ctor>(minibatch: RewardSignalMinibatch, name: string, ctor: C, length: number): InstanceType<C> {
  const col = minibatch?.[name];
  if (!(col instanceof ctor) || col.length !== length) {
    const got = col === undefined ? 'nothing' : `${col.constructor.name} of ${col.length}`;
    throw new Error(`reward signal minibatch.${name}: expected a ${ctor.name} of ${length}, got ${got}`);
  }
  return col as InstanceType<C>;
}
