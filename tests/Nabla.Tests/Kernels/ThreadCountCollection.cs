using Xunit;

namespace Nabla.Tests.Kernels;

/// <summary>Tests that change <c>Torch.SetNumThreads</c>: they run alone so no other test sees the changed budget.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Thread count";

    /// <summary>Runs <paramref name="body"/> once with each thread count, restoring the previous count after.</summary>
    public static void ForEachThreadCount(Action body)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            foreach (var threads in new[] { 1, 2 })
            {
                Torch.SetNumThreads(threads);
                body();
            }
        }
        finally
        {
            Torch.SetNumThreads(saved);
        }
    }
}
