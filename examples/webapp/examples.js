// The demo's cards: one per example function of examples/functions (README.md there has their expected
// outputs). `chain_worker` has no card: it is what `chain` calls by name, served beside it.
export const EXAMPLES = [
  {
    name: 'hello',
    summary: 'The smallest typed function: greets the name given as input.',
    placeholder: 'a name, e.g. Ada (empty: Faasm)',
  },
  {
    name: 'echo',
    summary: 'Output = input, byte for byte.',
    placeholder: 'any text',
  },
  {
    name: 'chain',
    summary: 'Fork-join: squares chained by pointer 4 times and chain_worker chained by name 3 times, all '
      + 'started before any is awaited.',
    placeholder: '(no input)',
  },
  {
    name: 'state',
    summary: 'Typed state: a whole value, an array written whole, by range and through a mapped view under a '
      + 'write lock, and an append log.',
    placeholder: '(no input)',
  },
  {
    name: 'pi',
    summary: 'Compute-heavy: a Monte Carlo estimate of pi over N workers chained by pointer. Send the chained '
      + 'calls to the cluster, or try worker mode to keep the page smooth while the browser computes.',
    placeholder: '<workers> <samples each> (empty: 8 40000000)',
    value: '4 5000000',
  },
  {
    name: 'blocking_indirect',
    summary: 'Blocking calls (an await, a state pull) reached only through a virtual call, a function '
      + 'pointer and a std::function.',
    placeholder: '(no input)',
  },
];
