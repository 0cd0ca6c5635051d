using Nabla.Bench;

// dotnet run --project bench/Nabla.Bench -c Release -- [--threads 1,2] [--filter TEXT] [--quick] [--out PATH]
//                                                     | --micro [BenchmarkDotNet options] | --child NAME --threads N
var options = BenchOptions.Parse(args);
if (options.Micro) return MicroBenchmarks.Run(options.MicroArgs);
if (options.Child is { } child) return FreshTraining.Run(child, options.Threads[0]);
return BenchRunner.Run(options, args);
