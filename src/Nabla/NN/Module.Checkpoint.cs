using Nabla.Serialization;

namespace Nabla.NN;

public abstract partial class Module
{
    /// <summary>
    /// Writes <see cref="StateDict"/> to <paramref name="path"/>, in the format its extension names: <c>.safetensors</c>
    /// (<see cref="Safetensors.Save(IEnumerable{KeyValuePair{string, Tensor}}, string, Dictionary{string, string}?)"/>, with
    /// <c>format=pt</c> metadata), or <c>.pt</c>, <c>.pth</c>, <c>.bin</c> (<see cref="Torch.Save(IEnumerable{KeyValuePair{string, Tensor}}, string)"/>).
    /// </summary>
    public void Save(string path)
    {
        if (IsSafetensors(path)) Safetensors.Save(StateDict(), path, new() { ["format"] = "pt" });
        else Torch.Save(StateDict(), CheckTorchPath(path));
    }

    /// <summary>
    /// Loads a checkpoint into this module with <see cref="LoadStateDict"/>, the format taken from the extension as in
    /// <see cref="Save"/> (<c>.index.json</c>: a sharded safetensors checkpoint). Strict by default.
    /// </summary>
    public IncompatibleKeys Load(string path, bool strict = true)
    {
        var sd = IsSafetensors(path) || path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)
            ? Safetensors.Load(path)
            : Torch.Load(CheckTorchPath(path));
        return LoadStateDict(sd, strict);
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    private static string CheckTorchPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pt" or ".pth" or ".bin" or ".ckpt" ? path
            : throw new ArgumentException($"cannot tell the checkpoint format of '{Path.GetFileName(path)}': use .safetensors, .pt or .pth");
}
