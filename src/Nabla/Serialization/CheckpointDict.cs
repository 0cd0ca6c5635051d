using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Nabla.Serialization;

/// <summary>
/// A Python <c>dict</c> read from a checkpoint, in insertion order. Keys are strings, <c>long</c>s (an <c>int</c> key finds
/// the same entry), doubles or bools; values are what <see cref="Torch.LoadObject(string)"/> documents. It also reads as a
/// string-keyed dictionary, so a nested state (a scheduler's) passes straight to APIs that take one.
/// </summary>
public sealed class CheckpointDict : OrderedDictionary<object, object?>, IReadOnlyDictionary<string, object?>
{
    /// <summary>An empty dict.</summary>
    public CheckpointDict() : base(KeyComparer.Instance) { }

    /// <summary>
    /// This dict as a state dict for <see cref="NN.Module.LoadStateDict"/> (<c>model.load_state_dict(ckpt["model"])</c>):
    /// every key a string, every value a tensor.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A key is not a string or a value is not a tensor.</exception>
    public OrderedDictionary<string, Tensor> AsStateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in Pairs)
        {
            if (k is not string key || v is not Tensor t)
                throw new CheckpointFormatException($"expected a state dict (string keys, tensor values), but entry {k} holds a {(v is null ? "None" : v.GetType().Name)}; use Torch.LoadObject");
            result[key] = t;
        }
        return result;
    }

    private IEnumerable<KeyValuePair<object, object?>> Pairs => this;

    object? IReadOnlyDictionary<string, object?>.this[string key] => this[key];

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys.OfType<string>();

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Pairs.Where(kv => kv.Key is string).Select(kv => kv.Value);

    int IReadOnlyCollection<KeyValuePair<string, object?>>.Count => Keys.Count(k => k is string);

    bool IReadOnlyDictionary<string, object?>.ContainsKey(string key) => ContainsKey(key);

    bool IReadOnlyDictionary<string, object?>.TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => TryGetValue(key, out value);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() =>
        Pairs.Where(kv => kv.Key is string).Select(kv => new KeyValuePair<string, object?>((string)kv.Key, kv.Value)).GetEnumerator();

    /// <summary>Python's key equality for the key types a checkpoint holds: integers of any .NET width are equal by value.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            Integer(x) is { } a && Integer(y) is { } b ? a == b : object.Equals(x, y);

        public int GetHashCode(object obj) => Integer(obj) is { } v ? v.GetHashCode() : obj.GetHashCode();

        private static long? Integer(object? o) => o switch
        {
            long l => l,
            int i => i,
            short s => s,
            sbyte s => s,
            byte b => b,
            ushort u => u,
            uint u => u,
            _ => null,
        };
    }
}
