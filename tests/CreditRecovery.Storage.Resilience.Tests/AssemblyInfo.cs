// The crash and concurrency tests each load the machine with child processes: run them one after the other, so that
// neither skews the other's timings (kill points, runtime budget).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
