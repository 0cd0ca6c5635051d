namespace Nabla.Tests;

/// <summary>The source tree the tests were built from, for tests that read it (source scans, text goldens).</summary>
internal static class RepoPaths
{
    /// <summary>The folder that holds Nabla.slnx, found from the test binaries upwards.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Nabla.slnx above {AppContext.BaseDirectory}: this test reads the source tree.");
    }
}
