using System.Text.Json;

namespace Nabla.Tests.Serialization;

/// <summary>The checkpoints written by tests/goldens/gen_checkpoints.py and the values they must load as.</summary>
internal static class CheckpointFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "goldens", "checkpoints", name);

    public static JsonElement Golden => Goldens.Load("checkpoints");

    /// <summary>A golden state dict: key → tensor, in file order.</summary>
    public static List<(string Key, Tensor Value)> State(JsonElement e) =>
        e.EnumerateObject().Select(p => (p.Name, Goldens.Tensor(p.Value))).ToList();
}
