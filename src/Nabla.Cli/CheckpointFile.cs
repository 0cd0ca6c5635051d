using Nabla.NN;

namespace Nabla.Cli;

/// <summary>Where <c>nabla train --out</c> meets the library's checkpoint support.</summary>
public static class CheckpointFile
{
    /// <summary>Whether this build can write checkpoints.</summary>
    public static bool Supported => false;

    /// <summary>Writes <paramref name="model"/>'s state dict to <paramref name="path"/> (safetensors).</summary>
    public static void Save(Module model, string path)
        => throw new NotSupportedException($"Cannot write {path}: this build of Nabla has no safetensors checkpoints yet.");
}
