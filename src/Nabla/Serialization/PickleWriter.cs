using System.Buffers.Binary;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Serialization;

/// <summary>
/// Writes objects as a protocol-2 pickle the way <c>torch.save</c> does, using only opcodes and globals that
/// <c>torch.load(weights_only=True)</c> in PyTorch 1.13 accepts (floats excepted: 1.13's restricted loader has no
/// BINFLOAT, so dicts holding floats need a plain <c>torch.load</c> there). Tensors become
/// <c>_rebuild_tensor_v2(persistent storage, offset, size, stride, requires_grad, OrderedDict())</c>; each distinct
/// storage gets one key, so views keep sharing it.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _out = new();
    private readonly Dictionary<Storage, string> _keys = new(ReferenceEqualityComparer.Instance);

    /// <summary>The storages written, in key order ("0", "1", ...).</summary>
    public List<Storage> Storages { get; } = [];

    public byte[] Write(object? root)
    {
        _out.WriteByte(0x80);
        _out.WriteByte(2);
        Save(root, asOrderedDict: true);
        _out.WriteByte((byte)'.');
        return _out.ToArray();
    }

    private void Save(object? o, bool asOrderedDict = false)
    {
        switch (o)
        {
            case null: Op('N'); break;
            case bool b: Op(b ? 0x88 : 0x89); break;
            case Tensor t: SaveTensor(t); break;
            case string s: SaveString(s); break;
            case double d: Op('G'); Span<byte> buf = stackalloc byte[8]; BinaryPrimitives.WriteDoubleBigEndian(buf, d); _out.Write(buf); break;
            case float f: Save((double)f); break;
            case long or int or short or sbyte or byte or ushort or uint: SaveInt(Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture)); break;
            case DType: throw new ArgumentException("dtypes cannot be saved by Nabla's torch.save");
            case OptimizerStateDict osd: SaveDict(osd.ToCheckpointDict(), ordered: false); break;
            case object?[] tuple: SaveTuple(tuple); break;
            case IDictionary d: SaveDict(d, ordered: asOrderedDict || IsStateDict(d)); break;
            case IEnumerable<KeyValuePair<string, Tensor>> sd: SaveDict(sd.ToDictionary(kv => kv.Key, kv => kv.Value), ordered: true); break;
            case ITuple tuple: SaveTuple(Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray()); break;
            case IEnumerable list and not byte[]: SaveList(list); break;
            default: throw new ArgumentException($"cannot save a {o.GetType().Name}: checkpoints hold dicts, lists, tuples, numbers, strings, None and tensors");
        }
    }

    private static bool IsStateDict(IDictionary d) => d is OrderedDictionary<string, Tensor>;

    private void SaveTensor(Tensor t)
    {
        var storage = t._storage;
        if (!_keys.TryGetValue(storage, out var key))
        {
            _keys[storage] = key = Storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Storages.Add(storage);
        }
        bool parameter = t is Parameter;
        if (parameter) Global("torch._utils", "_rebuild_parameter");
        Global("torch._utils", "_rebuild_tensor_v2");
        Op('(');
        // Persistent id ('storage', torch.FloatStorage, key, 'cpu', numel): the storage itself lives in data/<key>.
        Op('(');
        SaveString("storage");
        Global("torch", AllowedGlobals.StorageName(storage.DType));
        SaveString(key);
        SaveString("cpu");
        SaveInt(storage.Length);
        Op('t');
        Op('Q');
        SaveInt(t.StorageOffset);
        SaveTuple(t.Shape.Select(x => (object?)x).ToArray());
        SaveTuple(t.Strides.Select(x => (object?)x).ToArray());
        Op(!parameter && t.RequiresGrad ? 0x88 : 0x89);
        EmptyOrderedDict();
        Op('t');
        Op('R');
        if (parameter)
        {
            // _rebuild_parameter(data, requires_grad, OrderedDict())
            Op(t.RequiresGrad ? 0x88 : 0x89);
            EmptyOrderedDict();
            Op(0x87);
            Op('R');
        }
    }

    private void EmptyOrderedDict()
    {
        Global("collections", "OrderedDict");
        Op(')');
        Op('R');
    }

    private void SaveDict(IDictionary d, bool ordered)
    {
        if (ordered) EmptyOrderedDict();
        else Op('}');
        int n = 0;
        foreach (DictionaryEntry e in d)
        {
            if (n % 1000 == 0) Op('(');
            Save(e.Key);
            Save(e.Value);
            if (++n % 1000 == 0) Op('u');
        }
        if (n % 1000 != 0) Op('u');
    }

    private void SaveList(IEnumerable items)
    {
        Op(']');
        int n = 0;
        foreach (var item in items)
        {
            if (n % 1000 == 0) Op('(');
            Save(item);
            if (++n % 1000 == 0) Op('e');
        }
        if (n % 1000 != 0) Op('e');
    }

    private void SaveTuple(object?[] items)
    {
        if (items.Length == 0) { Op(')'); return; }
        if (items.Length > 3) Op('(');
        foreach (var item in items) Save(item);
        Op(items.Length switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => 't' });
    }

    private void SaveInt(long v)
    {
        if (v is >= 0 and < 256) { Op('K'); _out.WriteByte((byte)v); }
        else if (v is >= 0 and < 65536) { Op('M'); _out.WriteByte((byte)v); _out.WriteByte((byte)(v >> 8)); }
        else if (v is >= int.MinValue and <= int.MaxValue) { Op('J'); Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); _out.Write(b); }
        else
        {
            // LONG1: little-endian two's complement, as short as keeps the sign.
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            int n = 8;
            while (n > 1 && ((b[n - 1] == 0 && (b[n - 2] & 0x80) == 0) || (b[n - 1] == 0xFF && (b[n - 2] & 0x80) != 0))) n--;
            Op(0x8a);
            _out.WriteByte((byte)n);
            _out.Write(b[..n]);
        }
    }

    private void SaveString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Op('X');
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, bytes.Length);
        _out.Write(len);
        _out.Write(bytes);
    }

    private void Global(string module, string name)
    {
        Op('c');
        _out.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
    }

    private void Op(int code) => _out.WriteByte((byte)code);
}
