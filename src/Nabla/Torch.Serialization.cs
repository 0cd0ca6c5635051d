using Nabla.Serialization;

namespace Nabla;

public static partial class Torch
{
    /// <summary>
    /// Loads a state dict written by <c>torch.save(model.state_dict(), path)</c> (<c>torch.load(path, weights_only=True)</c>):
    /// the zip format of PyTorch 1.6 and later, read by a restricted unpickler that refuses every global
    /// <c>weights_only=True</c> refuses, before anything is built. Tensors that shared a storage share one again.
    /// </summary>
    /// <exception cref="UnsafeCheckpointException">The pickle names a global that is not allowed (the exception names it).</exception>
    /// <exception cref="CheckpointFormatException">The file is malformed, or is a legacy, TorchScript or big-endian file, or is not a dict of tensors.</exception>
    public static OrderedDictionary<string, Tensor> Load(string path)
    {
        using var stream = OpenCheckpoint(path);
        return Load(stream);
    }

    /// <inheritdoc cref="Load(string)"/>
    public static OrderedDictionary<string, Tensor> Load(Stream stream)
    {
        var value = TorchArchiveReader.Load(stream);
        if (value is not CheckpointDict dict)
            throw new CheckpointFormatException($"expected a state dict (a dict of tensors), but the checkpoint holds a {Describe(value)}; use Torch.LoadObject");
        return dict.AsStateDict();
    }

    /// <summary>
    /// Loads a checkpoint whose top level is a dict (<c>torch.load(path)</c> of <c>{"model": ..., "optimizer": ..., "epoch": 3}</c>),
    /// as safely as <see cref="Load(string)"/>. Values: dicts are <see cref="CheckpointDict"/>, lists <c>List&lt;object?&gt;</c>, tuples
    /// <c>object?[]</c>, ints <c>long</c>, floats <c>double</c>, strings, bools, None as null, tensors as <see cref="Nabla.Tensor"/>.
    /// </summary>
    /// <exception cref="UnsafeCheckpointException">The pickle names a global that is not allowed.</exception>
    /// <exception cref="CheckpointFormatException">The file is malformed or unsupported, or its top level is not a dict (see <see cref="LoadValue(string)"/>).</exception>
    public static CheckpointDict LoadObject(string path)
    {
        using var stream = OpenCheckpoint(path);
        return LoadObject(stream);
    }

    /// <inheritdoc cref="LoadObject(string)"/>
    public static CheckpointDict LoadObject(Stream stream) => TorchArchiveReader.Load(stream) as CheckpointDict
        ?? throw new CheckpointFormatException("the checkpoint's top level is not a dict; use Torch.LoadValue");

    /// <summary>Loads a checkpoint holding any object (<c>torch.load</c>): the value types of <see cref="LoadObject(string)"/>, at any level.</summary>
    public static object? LoadValue(string path)
    {
        using var stream = OpenCheckpoint(path);
        return TorchArchiveReader.Load(stream);
    }

    /// <inheritdoc cref="LoadValue(string)"/>
    public static object? LoadValue(Stream stream) => TorchArchiveReader.Load(stream);

    /// <summary>
    /// Writes a state dict as <c>torch.save(state_dict, path)</c> does, so that <c>torch.load(path, weights_only=True)</c> opens it;
    /// tensors sharing a storage are saved sharing it. Atomic: a temporary file beside the target, flushed, renamed over it.
    /// </summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> stateDict, string path) => Save((object)ToOrdered(stateDict), path);

    /// <summary>Writes a state dict to a stream in <c>torch.save</c>'s format.</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> stateDict, Stream stream) => Save((object)ToOrdered(stateDict), stream);

    /// <summary>
    /// Writes a checkpoint object (<c>torch.save(obj, path)</c>): dicts (any <c>IDictionary</c>), lists, tuples (arrays and value
    /// tuples), numbers, strings, bools, null, tensors, state dicts and <see cref="Optim.OptimizerStateDict"/>s, nested. Atomic.
    /// PyTorch 1.13's <c>weights_only=True</c> cannot read floats; a plain <c>torch.load</c> reads everything.
    /// </summary>
    public static void Save(object? obj, string path) => AtomicFile.Write(path, s => Save(obj, s));

    /// <summary>Writes a checkpoint object to a stream in <c>torch.save</c>'s format.</summary>
    public static void Save(object? obj, Stream stream)
    {
        TensorBytes.RequireLittleEndian();
        var pickler = new PickleWriter();
        var pickle = pickler.Write(obj);
        var zip = new StoredZipWriter(stream);
        zip.Add("archive/data.pkl", pickle);
        for (int i = 0; i < pickler.Storages.Count; i++)
            zip.Add($"archive/data/{i}", TensorBytes.Of(pickler.Storages[i]));
        zip.Add("archive/version", "3\n"u8);
        zip.Finish();
    }

    private static OrderedDictionary<string, Tensor> ToOrdered(IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        if (stateDict is OrderedDictionary<string, Tensor> ready) return ready;
        var d = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in stateDict) d[k] = v;
        return d;
    }

    private static FileStream OpenCheckpoint(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    private static string Describe(object? value) => value is null ? "None" : value.GetType().Name;
}
