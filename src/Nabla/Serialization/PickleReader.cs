using System.Buffers.Binary;
using System.Text;
using Nabla.NN;

namespace Nabla.Serialization;

/// <summary>
/// A restricted unpickler with the rules of <c>torch.load(weights_only=True)</c>: a global is looked up in
/// <see cref="AllowedGlobals"/> when its opcode is read and refused on the spot, naming it; only allowed functions are
/// called, only Parameter is instantiated, only tensors, parameters and dicts are built. Nothing from the file runs.
/// </summary>
/// <remarks>
/// Python values come out as: None → null, bool, int → long, float → double, str → string, bytes → byte[],
/// list → <see cref="List{T}"/> of object?, tuple → object?[], dict → <see cref="CheckpointDict"/>, tensors → <see cref="Tensor"/>
/// (<see cref="Parameter"/> for a saved parameter). Every read is bounded by the pickle's own length.
/// </remarks>
internal sealed class PickleReader
{
    /// <summary>Storage lookup for a persistent id <c>('storage', type, key, location, numel)</c>.</summary>
    public delegate Storage StorageLoader(DType dtype, string key, long numel);

    private readonly byte[] _data;
    private readonly StorageLoader _storages;
    private int _pos;
    private List<object?> _stack = [];
    private readonly Stack<List<object?>> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    private PickleReader(byte[] data, StorageLoader storages)
    {
        _data = data;
        _storages = storages;
    }

    public static object? Load(byte[] pickle, StorageLoader storages) => new PickleReader(pickle, storages).Run();

    private sealed record Layout(string Name);

    private object? Run()
    {
        while (true)
        {
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: Take(8); break;                                      // FRAME
                case (byte)'.': return Pop();                                   // STOP
                case (byte)'(': _marks.Push(_stack); _stack = []; break;        // MARK
                case (byte)'0': Pop(); break;                                   // POP
                case (byte)'1': PopMark(); break;                               // POP_MARK
                case (byte)'2': Push(Peek()); break;                            // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;                                   // NEWTRUE
                case 0x89: Push(false); break;                                  // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(Long(Take(ReadByte()))); break;                 // LONG1
                case 0x8b: Push(Long(Take(Length(4)))); break;                  // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Utf8(Take(Length(4)))); break;             // BINUNICODE
                case 0x8c: Push(Utf8(Take(ReadByte()))); break;                 // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length(8)))); break;                  // BINUNICODE8
                case (byte)'U': Push(Take(ReadByte()).ToArray()); break;        // SHORT_BINSTRING
                case (byte)'T': Push(Take(Length(4)).ToArray()); break;         // BINSTRING
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break;        // SHORT_BINBYTES
                case (byte)'B': Push(Take(Length(4)).ToArray()); break;         // BINBYTES
                case 0x8e: Push(Take(Length(8)).ToArray()); break;              // BINBYTES8
                case (byte)')': Push(Array.Empty<object?>()); break;            // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;               // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                        // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)']': Push(new List<object?>()); break;               // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break;                         // LIST
                case (byte)'a': { var item = Pop(); ListOnTop("append").Add(item); break; }
                case (byte)'e': { var items = PopMark(); ListOnTop("extend").AddRange(items); break; }
                case (byte)'}': Push(new CheckpointDict()); break;              // EMPTY_DICT
                case (byte)'d': { var items = PopMark(); var d = new CheckpointDict(); SetItems(d, items); Push(d); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(DictOnTop(), [k, v]); break; }
                case (byte)'u': { var items = PopMark(); SetItems(DictOnTop(), items); break; }
                case (byte)'c': Push(Resolve(Line(), Line())); break;           // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Resolve(module as string ?? "?", name as string ?? "?")); break; }
                case (byte)'R': Reduce(); break;
                case 0x81: NewObj(); break;
                case (byte)'b': Build(); break;
                case (byte)'Q': Push(PersistentLoad(Pop())); break;             // BINPERSID
                case (byte)'h': Push(Get(ReadByte())); break;                   // BINGET
                case (byte)'j': Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case (byte)'q': _memo[ReadByte()] = Peek(); break;              // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;                  // MEMOIZE
                case (byte)'i':                                                 // INST names a class: refused like GLOBAL
                    {
                        string module = Line(), name = Line();
                        Resolve(module, name);
                        throw new UnsafeCheckpointException(module + "." + name, $"Trying to instantiate unsupported class {module}.{name}");
                    }
                default:
                    throw new CheckpointFormatException($"Unsupported operand {op} in the checkpoint's pickle (opcode 0x{op:x2} at byte {_pos - 1})");
            }
        }
    }

    private static object Resolve(string module, string name)
    {
        if (AllowedGlobals.TryResolve(module, name, out var g)) return g;
        string full = module + "." + name;
        throw new UnsafeCheckpointException(full,
            $"Weights only load failed: the checkpoint's pickle names the global {full}, which torch.load(weights_only=True) does not allow (Unsupported class {full}). Nothing was run.");
    }

    private void Reduce()
    {
        var args = Pop();
        var func = Pop();
        if (func is not PickleGlobal g)
            throw new UnsafeCheckpointException(Describe(func), $"Trying to call reduce for unrecognized function {Describe(func)}");
        if (args is not object?[] a) throw new CheckpointFormatException($"arguments to {g.FullName} are not a tuple");
        Push(g.Kind switch
        {
            GlobalKind.OrderedDict when a.Length == 0 => new CheckpointDict(),
            GlobalKind.RebuildTensorV2 when a.Length is 6 or 7 => RebuildTensor(a[0], a[1], a[2], a[3], a[4]),
            GlobalKind.RebuildTensor when a.Length == 4 => RebuildTensor(a[0], a[1], a[2], a[3], false),
            GlobalKind.RebuildParameter when a.Length is 3 && a[0] is Tensor t && a[1] is bool rg => new Parameter(t, rg),
            GlobalKind.Size when a.Length == 1 && a[0] is object?[] dims => dims,
            GlobalKind.GetLayout when a.Length == 1 && a[0] is string layout => new Layout(layout),
            GlobalKind.Unsupported or GlobalKind.Storage or GlobalKind.TensorClass or GlobalKind.DTypeValue or GlobalKind.Parameter =>
                throw new CheckpointFormatException($"calling {g.FullName} is not supported by Nabla's loader"),
            _ => throw new CheckpointFormatException($"{g.FullName} called with arguments it does not take"),
        });
    }

    private void NewObj()
    {
        var args = Pop();
        var cls = Pop();
        if (cls is not PickleGlobal { Kind: GlobalKind.Parameter })
            throw new UnsafeCheckpointException(Describe(cls), $"Trying to instantiate unsupported class {Describe(cls)}");
        if (args is not object?[] { Length: 1 or 2 } a || a[0] is not Tensor t)
            throw new CheckpointFormatException("Parameter() takes a tensor and requires_grad");
        Push(new Parameter(t, a.Length < 2 || a[1] is true));
    }

    private void Build()
    {
        var state = Pop();
        var target = Peek();
        switch (target)
        {
            case CheckpointDict when state is CheckpointDict or null: break;   // OrderedDict's __dict__ (_metadata): not kept
            case Parameter: break;                                             // Parameter.__setstate__: hooks, not kept
            case Tensor: throw new CheckpointFormatException("legacy tensor state (Tensor.set_) is not supported");
            default:
                throw new UnsafeCheckpointException(Describe(target), $"Can only build Tensor, parameter or dict objects, but got {Describe(target)}");
        }
    }

    private Tensor RebuildTensor(object? storage, object? offset, object? size, object? stride, object? requiresGrad)
    {
        if (storage is not Storage s || offset is not long off || size is not object?[] sz || stride is not object?[] st || requiresGrad is not bool rg)
            throw new CheckpointFormatException("_rebuild_tensor_v2 takes a storage, an offset, a size and a stride");
        if (sz.Length != st.Length || sz.Length > 64) throw new CheckpointFormatException("tensor size and stride differ in length");
        var shape = new long[sz.Length];
        var strides = new long[st.Length];
        long last = off, numel = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (sz[i] is not long n || n < 0 || st[i] is not long k || k < 0) throw new CheckpointFormatException("tensor size or stride is not a non-negative integer");
            shape[i] = n;
            strides[i] = k;
            numel = numel == 0 || n == 0 ? 0 : n <= int.MaxValue / numel ? numel * n : throw new CheckpointFormatException("tensor has too many elements");
            if (n > 0) last = k == 0 || n - 1 <= (long.MaxValue - last) / k ? last + (n - 1) * k : long.MaxValue;
        }
        if (off < 0 || (numel > 0 && last >= s.Length) || (numel == 0 && off > s.Length))
            throw new CheckpointFormatException($"tensor of size ({string.Join(", ", shape)}) with stride ({string.Join(", ", strides)}) at offset {off} lies outside its storage of {s.Length} elements");
        var t = new Tensor(s, shape, strides, off);
        if (rg && s.DType.IsFloatingPoint()) t.RequiresGrad = true;
        return t;
    }

    private Storage PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: 5 } p || p[0] is not (string or byte[]) || Ascii(p[0]) != "storage")
            throw new CheckpointFormatException("Only persistent_load of storage is allowed");
        if (p[1] is not PickleGlobal g) throw new CheckpointFormatException("storage type is not a storage class");
        if (g.Kind != GlobalKind.Storage) throw new CheckpointFormatException($"{g.FullName} storages are not supported by Nabla");
        if (p[2] is not (string or byte[]) || p[4] is not long numel || numel < 0) throw new CheckpointFormatException("malformed storage persistent id");
        return _storages(g.DType, Ascii(p[2]), numel);
    }

    private static string Ascii(object? o) => o is byte[] b ? Encoding.ASCII.GetString(b) : (string)o!;

    private static string Describe(object? o) => o switch
    {
        PickleGlobal g => g.FullName,
        null => "None",
        _ => o.GetType().Name,
    };

    private static void SetItems(CheckpointDict d, List<object?> items)
    {
        if (items.Count % 2 != 0) throw new CheckpointFormatException("odd number of items for a dict");
        for (int i = 0; i < items.Count; i += 2)
        {
            var key = items[i] is string or long or double or bool ? items[i]! : throw new CheckpointFormatException($"unsupported dict key type {Describe(items[i])}");
            d[key] = items[i + 1];
        }
    }

    private List<object?> ListOnTop(string op) => Peek() as List<object?>
        ?? throw new UnsafeCheckpointException(Describe(Peek()), $"Can only {op} lists, but got {Describe(Peek())}");

    private CheckpointDict DictOnTop() => Peek() as CheckpointDict
        ?? throw new CheckpointFormatException($"cannot set items on {Describe(Peek())}");

    private object? Get(long index) => _memo.TryGetValue(index, out var v) ? v : throw new CheckpointFormatException($"memo key {index} was never stored");

    private static long Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0;
        if (bytes.Length > 8) throw new CheckpointFormatException("integer wider than 64 bits");
        long v = (sbyte)bytes[^1];
        for (int i = bytes.Length - 2; i >= 0; i--) v = (v << 8) | bytes[i];
        return v;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException e) { throw new CheckpointFormatException("string is not valid UTF-8", e); }
    }

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw new CheckpointFormatException("pickle ends inside a GLOBAL name");
        var s = Encoding.UTF8.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private int Length(int width)
    {
        long n = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Take(4)) : (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), long.MaxValue);
        if (n > _data.Length - _pos) throw new CheckpointFormatException("pickle is truncated: a length runs past its end");
        return (int)n;
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _data.Length - _pos) throw new CheckpointFormatException("pickle is truncated");
        var span = _data.AsSpan(_pos, n);
        _pos += n;
        return span;
    }

    private byte ReadByte() => _pos < _data.Length ? _data[_pos++] : throw new CheckpointFormatException("pickle is truncated (no STOP)");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new CheckpointFormatException("pickle stack underflow");

    private object? Pop()
    {
        var o = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw new CheckpointFormatException("pickle has no MARK to pop to");
        var items = _stack;
        _stack = _marks.Pop();
        return items;
    }
}
