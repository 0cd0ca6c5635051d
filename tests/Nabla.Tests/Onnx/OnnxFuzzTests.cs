using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Nabla.Onnx;
using Nabla.Onnx.Proto;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Damaged and hostile ONNX files: whatever the bytes, <see cref="OnnxModel.Load(byte[])"/> and
/// <see cref="OnnxTensor.ToArray()"/> either succeed or throw <see cref="OnnxFormatException"/>; any other exception
/// (or a crash, or a hang) fails. The seeded random tests run a quick slice by default;
/// <c>NABLA_FUZZ_ITERATIONS</c> sets the number of random mutations per base file for a long run, e.g.
/// <c>NABLA_FUZZ_ITERATIONS=200000 dotnet test tests/Nabla.Tests --filter FullyQualifiedName~OnnxFuzzTests</c>.
/// </summary>
public class OnnxFuzzTests(ITestOutputHelper output)
{
    /// <summary>Random mutations per base file: <c>NABLA_FUZZ_ITERATIONS</c>, or a quick default.</summary>
    private static readonly int Iterations =
        int.TryParse(Environment.GetEnvironmentVariable("NABLA_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 300;

    private static readonly string GoldenFolder = Path.Combine(AppContext.BaseDirectory, "goldens", "onnx");

    /// <summary>The files mutated: the schema-rich synthetic model and every PyTorch-written golden.</summary>
    public static TheoryData<string> BaseFiles() => new(BaseFileNames());

    private static string[] BaseFileNames() =>
        Directory.GetFiles(GoldenFolder, "*.onnx").Select(Path.GetFileName).Order().Prepend("rich").ToArray()!;

    private static byte[] Bytes(string baseFile) =>
        baseFile == "rich" ? OnnxTestModels.Rich().ToByteArray() : File.ReadAllBytes(Path.Combine(GoldenFolder, baseFile));

    [Fact]
    public void BaseModelsLoadAndDecodeCleanly()
    {
        foreach (var name in BaseFileNames())
        {
            var model = OnnxModel.Load(Bytes(name));
            Assert.Equal(0, Exercise(model));
        }
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void TruncationAtEveryOffsetGivesOnlyFormatErrors(string baseFile)
    {
        var bytes = Bytes(baseFile);
        for (int length = 0; length < bytes.Length; length++)
            AssertOnlyFormatErrors(bytes[..length], $"{baseFile} truncated to {length} bytes");
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void RandomBitFlipsGiveOnlyFormatErrors(string baseFile)
    {
        var original = Bytes(baseFile);
        for (int i = 0; i < Iterations; i++)
        {
            int seed = HashCode.Combine(baseFile.Length, i) ^ i; // deterministic per (file, iteration)
            var rng = new System.Random(seed);
            var bytes = (byte[])original.Clone();
            int flips = rng.Next(1, 9);
            for (int f = 0; f < flips; f++)
                bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            AssertOnlyFormatErrors(bytes, $"{baseFile} with {flips} bit flips, seed {seed}");
        }
        ReportMaxAllocation();
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void RandomByteEditsGiveOnlyFormatErrors(string baseFile)
    {
        // Overwrites with extreme bytes, insertions and deletions: shifts that bit flips do not make.
        var original = Bytes(baseFile);
        byte[] extremes = [0x00, 0x01, 0x7F, 0x80, 0xFF];
        for (int i = 0; i < Iterations; i++)
        {
            int seed = unchecked(i * 7919 + baseFile.Length);
            var rng = new System.Random(seed);
            var bytes = new List<byte>(original);
            int edits = rng.Next(1, 5);
            for (int e = 0; e < edits && bytes.Count > 0; e++)
            {
                int at = rng.Next(bytes.Count);
                byte value = rng.Next(2) == 0 ? extremes[rng.Next(extremes.Length)] : (byte)rng.Next(256);
                switch (rng.Next(3))
                {
                    case 0: bytes[at] = value; break;
                    case 1: bytes.Insert(at, value); break;
                    default: bytes.RemoveAt(at); break;
                }
            }
            AssertOnlyFormatErrors(bytes.ToArray(), $"{baseFile} with {edits} byte edits, seed {seed}");
        }
        ReportMaxAllocation();
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void LengthPrefixesRewrittenToHugeOrNegativeGiveOnlyFormatErrors(string baseFile)
    {
        var fields = WireField.Read(Bytes(baseFile)) ?? throw new InvalidOperationException("base file does not read as wire fields");
        foreach (var field in WireField.All(fields).Where(f => f.WireType == 2))
        {
            ulong length = (ulong)field.Payload.Length;
            ulong[] lies =
            [
                0, length + 1, length == 0 ? 1 : length - 1, length * 2 + 16,
                int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, (1UL << 32) + length, long.MaxValue,
                ulong.MaxValue,                      // -1 as a 10-byte varint
                unchecked((ulong)int.MinValue),      // -2^31 sign-extended to 10 bytes
                unchecked((ulong)(-(long)length)),
            ];
            foreach (ulong lie in lies)
            {
                byte[] replacement = [.. WireField.Tag(field.Number, 2), .. WireField.Varint(lie), .. field.Payload];
                AssertOnlyFormatErrors(WireField.Rebuild(fields, field, replacement), $"{baseFile} field {field.Number} length {length} rewritten to {lie}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void WrongWireTypesGiveOnlyFormatErrors(string baseFile)
    {
        var fields = WireField.Read(Bytes(baseFile)) ?? throw new InvalidOperationException("base file does not read as wire fields");
        foreach (var field in WireField.All(fields))
        {
            byte[] tag = WireField.Tag(field.Number, field.WireType);
            byte[] rest = field.Encoding[tag.Length..];
            for (int wireType = 0; wireType < 8; wireType++)
            {
                if (wireType == field.WireType)
                    continue;
                byte[] newTag = WireField.Tag(field.Number, wireType);
                // The old content under the new tag, then well-formed content of the new wire type.
                AssertOnlyFormatErrors(WireField.Rebuild(fields, field, [.. newTag, .. rest]), $"{baseFile} field {field.Number} as wire type {wireType}");
                byte[] wellFormed = wireType switch
                {
                    0 => [.. newTag, 0x01],
                    1 => [.. newTag, .. new byte[8]],
                    2 => [.. newTag, 0x00],
                    3 => [.. newTag, .. WireField.Tag(field.Number, 4)],
                    5 => [.. newTag, .. new byte[4]],
                    _ => newTag,
                };
                AssertOnlyFormatErrors(WireField.Rebuild(fields, field, wellFormed), $"{baseFile} field {field.Number} as well-formed wire type {wireType}");
            }
        }
    }

    [Fact]
    public void GraphsNestedInAttributes100000DeepFailOnTheRecursionLimit()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(NestedGraphs(100_000)));
        Assert.Contains("nesting", e.Message);
    }

    [Fact]
    public void GraphsNestedWithinTheRecursionLimitLoad()
    {
        // Main graph at depth 1, each nested graph three levels deeper (node, attribute, graph): 1 + 3 * 33 = 100.
        var model = OnnxModel.Load(NestedGraphs(33));
        int depth = 0;
        for (var g = model.Graph; g.Nodes.Count > 0; g = (OnnxGraph)g.Nodes[0].Attributes["body"])
            depth++;
        Assert.Equal(33, depth);
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(NestedGraphs(34)));
    }

    [Fact]
    public void SequenceTypesNested100000DeepFailOnTheRecursionLimit()
    {
        // A graph input typed TypeProto { sequence_type { elem_type: TypeProto { sequence_type { ... } } } }.
        byte[] type = NestedChain(100_000, (4, []), (1, []));
        var graph = Message((11, Message((1, "x"u8.ToArray()), (2, type))));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(ModelAround(graph)));
        Assert.Contains("nesting", e.Message);
    }

    [Fact]
    public void UnknownGroupsNested100000DeepGiveOnlyFormatErrors()
    {
        // Start-group tags of an unknown field, 10^5 deep, closed properly: kept as unknown fields or refused, no stack overflow.
        var bytes = new List<byte>(ModelAround(Message((2, "g"u8.ToArray()))));
        byte[] start = WireField.Tag(99, 3), end = WireField.Tag(99, 4);
        for (int i = 0; i < 100_000; i++) bytes.AddRange(start);
        for (int i = 0; i < 100_000; i++) bytes.AddRange(end);
        AssertOnlyFormatErrors(bytes.ToArray(), "unknown groups nested 10^5 deep");
    }

    [Fact]
    public void DimsClaiming10To12ElementsOverTinyRawDataAreRefusedWithoutAllocating()
    {
        var t = OnnxTestModels.RawFloats("huge", [1_000_000, 1_000_000], [1f, 2f, 3f, 4f]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(OnnxTestModels.WithInitializer(t).ToByteArray()));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "refusal allocated more than the file justifies");
        Assert.Contains("'huge'", e.Message);
        Assert.Contains("[1000000, 1000000]", e.Message);
        Assert.Contains("1000000000000 float elements = 4000000000000 bytes", e.Message);
        Assert.Contains("raw_data holds 16 bytes", e.Message);
    }

    [Fact]
    public void DimsClaiming10To12ElementsOverTinyTypedDataAreRefused()
    {
        var t = new TensorProto { Name = "huge", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 1_000_000_000_000 }, Int64Data = { 1, 2 } };
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(OnnxTestModels.WithInitializer(t).ToByteArray()));
        Assert.Contains("'huge'", e.Message);
        Assert.Contains("1000000000000", e.Message);
    }

    [Fact]
    public void AFuzzedModelThatLoadsSavesToBytesThatLoadTheSame()
    {
        // Whatever a damaged file parses to, writing it back gives a file that loads to the same bytes again.
        var original = OnnxTestModels.Rich().ToByteArray();
        int loaded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var rng = new System.Random(i);
            var bytes = (byte[])original.Clone();
            bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            OnnxModel model;
            try { model = OnnxModel.Load(bytes); }
            catch (OnnxFormatException) { continue; }
            loaded++;
            var saved = model.ToBytes();
            Assert.Equal(saved, OnnxModel.Load(saved).ToBytes());
        }
        Assert.True(loaded > 0, "no mutation loaded; the test checks nothing");
    }

    /// <summary>
    /// Loads <paramref name="bytes"/> and decodes every tensor, renders the model and re-serialises it; fails on any
    /// exception but <see cref="OnnxFormatException"/>, naming the mutation. A single load taking over 5 s counts as a hang;
    /// loading and decoding may allocate at most 64 times the file's size plus 64 MiB.
    /// </summary>
    private static void AssertOnlyFormatErrors(byte[] bytes, string mutation)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var model = OnnxModel.Load(bytes);
            Exercise(model);
            AssertAllocationBounded(bytes.Length, GC.GetAllocatedBytesForCurrentThread() - before, mutation);
            OnnxInspector.Render(model);
            OnnxModel.Load(model.ToBytes());
        }
        catch (OnnxFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{mutation}: empty message");
            AssertAllocationBounded(bytes.Length, GC.GetAllocatedBytesForCurrentThread() - before, mutation);
        }
        catch (Exception e)
        {
            Assert.Fail($"{mutation}: {e.GetType().FullName} instead of OnnxFormatException: {e}");
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{mutation}: took {clock.Elapsed}");
    }

    private static long s_maxAllocated, s_maxAllocatedFileSize;

    private static void AssertAllocationBounded(int fileSize, long allocated, string mutation)
    {
        Assert.True(allocated <= 64L * fileSize + (64L << 20), $"{mutation}: loading a {fileSize}-byte file allocated {allocated} bytes");
        lock (GoldenFolder)
        {
            if (allocated > s_maxAllocated) (s_maxAllocated, s_maxAllocatedFileSize) = (allocated, fileSize);
        }
    }

    /// <summary>The most any mutation's load and decode allocated so far, for the long run's report.</summary>
    private void ReportMaxAllocation()
    {
        lock (GoldenFolder)
            output.WriteLine($"{Iterations} iterations per file; max allocation {s_maxAllocated} bytes, for a {s_maxAllocatedFileSize}-byte file");
    }

    /// <summary>Decodes every tensor in the model, subgraphs and attributes included; returns how many refused.</summary>
    private static int Exercise(OnnxModel model) => Exercise(model.Graph);

    private static int Exercise(OnnxGraph graph)
    {
        int refused = graph.Initializers.Sum(Decode);
        foreach (var value in graph.Nodes.SelectMany(n => n.Attributes.Values))
        {
            refused += value switch
            {
                OnnxTensor t => Decode(t),
                OnnxTensor[] ts => ts.Sum(Decode),
                OnnxGraph g => Exercise(g),
                OnnxGraph[] gs => gs.Sum(Exercise),
                OnnxSparseTensor s => Decode(s.Values) + Decode(s.Indices),
                OnnxSparseTensor[] ss => ss.Sum(s => Decode(s.Values) + Decode(s.Indices)),
                _ => 0,
            };
        }
        return refused;
    }

    private static int Decode(OnnxTensor tensor)
    {
        try
        {
            var array = tensor.ToArray();
            Assert.Equal(tensor.ElementCount, array.LongLength);
            return 0;
        }
        catch (OnnxFormatException)
        {
            return 1;
        }
    }

    /// <summary>A model whose main graph holds a node whose attribute "body" holds a graph, and so on <paramref name="depth"/> times.</summary>
    private static byte[] NestedGraphs(int depth)
    {
        byte[] nameAndType = [.. WireField.Tag(1, 2), 4, .. "body"u8, .. WireField.Tag(20, 0), 5]; // name "body", type GRAPH
        // GraphProto.node (1) -> NodeProto.attribute (5) -> AttributeProto.g (6) -> GraphProto ...
        return ModelAround(NestedChain(depth, (1, []), (5, []), (6, nameAndType)));
    }

    /// <summary>
    /// The content of a message nested <paramref name="depth"/> times through <paramref name="chain"/>: each link is a
    /// length-delimited field (its number, and bytes written before it in the same message). Built inside out as bytes,
    /// since serialising such a message through the schema types would itself recurse that deep.
    /// </summary>
    private static byte[] NestedChain(int depth, params (int Number, byte[] Before)[] chain)
    {
        int links = depth * chain.Length;
        var contentLength = new int[links + 1]; // contentLength[i]: the content enclosing link i; the innermost is empty
        for (int i = links - 1; i >= 0; i--)
        {
            var (number, before) = chain[i % chain.Length];
            int inner = contentLength[i + 1];
            contentLength[i] = before.Length + WireField.Tag(number, 2).Length + WireField.Varint((ulong)inner).Length + inner;
        }
        var bytes = new List<byte>(contentLength[0]);
        for (int i = 0; i < links; i++)
        {
            var (number, before) = chain[i % chain.Length];
            bytes.AddRange(before);
            bytes.AddRange(WireField.Tag(number, 2));
            bytes.AddRange(WireField.Varint((ulong)contentLength[i + 1]));
        }
        return bytes.ToArray();
    }

    /// <summary>A ModelProto (IR 8, opset 17) whose graph field holds <paramref name="graph"/>'s bytes.</summary>
    private static byte[] ModelAround(byte[] graph) =>
        [.. new ModelProto { IrVersion = 8, OpsetImport = { new OperatorSetIdProto { Version = 17 } } }.ToByteArray(), .. Message((7, graph))];

    /// <summary>Length-delimited fields, concatenated.</summary>
    private static byte[] Message(params (int Number, byte[] Content)[] fields) =>
        fields.SelectMany(f => WireField.Tag(f.Number, 2).Concat(WireField.Varint((ulong)f.Content.Length)).Concat(f.Content)).ToArray();
}
