// Each fixture owns its factory and SQLite file, so fixtures run in parallel; tests inside a fixture share them.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
