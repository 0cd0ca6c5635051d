using System.Text;
using Nabla.NN;
using Nabla.Serialization;
using Xunit;

namespace Nabla.Tests.Serialization;

/// <summary>safetensors: every dtype round trips, metadata, shards through an index, and a header is checked before allocation.</summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static OrderedDictionary<string, Tensor> AllDTypes()
    {
        Torch.ManualSeed(5);
        var b = Torch.Randn(3, 4);
        return new()
        {
            ["f32"] = b,
            ["f32_t"] = b.T(),
            ["f64"] = Torch.Randn([2, 2], dtype: DType.Float64),
            ["f16"] = Torch.Randn(5).To(DType.Float16),
            ["bf16"] = Torch.Randn(2, 3).To(DType.BFloat16),
            ["i64"] = Torch.Arange(-3, 3),
            ["i32"] = Torch.Arange(4).To(DType.Int32),
            ["i16"] = Torch.Tensor(new long[] { -300, 5, 32767 }).To(DType.Int16),
            ["i8"] = Torch.Tensor(new long[] { -128, 0, 127 }).To(DType.Int8),
            ["u8"] = Torch.Tensor(new long[] { 0, 200, 255 }).To(DType.UInt8),
            ["bool"] = Torch.Tensor(new[] { true, false, true }),
            ["scalar"] = Torch.Tensor(2.5),
            ["empty"] = Torch.Zeros(0, 3),
            ["param"] = new Parameter(Torch.Randn(2)),
        };
    }

    [Fact]
    public void EveryDTypeRoundTripsWithMetadata()
    {
        var sd = AllDTypes();
        var path = Path.Combine(_dir, "all.safetensors");
        Safetensors.Save(sd, path, metadata: new() { ["format"] = "pt" });
        var back = Safetensors.Load(path);
        Assert.Equal(sd.Keys, back.Keys);
        foreach (var (k, v) in sd) TensorAssert.Equal(v, back[k], k);
        Assert.Equal("pt", Safetensors.LoadMetadata(path)["format"]);
        using var stream = File.OpenRead(path);
        TensorAssert.Equal(sd["bf16"], Safetensors.Load(stream)["bf16"]);
    }

    [Fact]
    public void ShardedCheckpointLoadsThroughItsIndex()
    {
        var sd = AllDTypes();
        var keys = sd.Keys.ToList();
        var first = keys.Take(5).ToDictionary(k => k, k => sd[k]);
        var second = keys.Skip(5).ToDictionary(k => k, k => sd[k]);
        Safetensors.Save(first, Path.Combine(_dir, "model-00001-of-00002.safetensors"));
        Safetensors.Save(second, Path.Combine(_dir, "model-00002-of-00002.safetensors"));
        var map = string.Join(",", keys.Select((k, i) => $"\"{k}\": \"model-0000{(i < 5 ? 1 : 2)}-of-00002.safetensors\""));
        var index = Path.Combine(_dir, "model.safetensors.index.json");
        File.WriteAllText(index, $"{{\"metadata\": {{\"total_size\": 1}}, \"weight_map\": {{{map}}}}}");
        var back = Safetensors.Load(index);
        Assert.Equal(keys, back.Keys);
        foreach (var (k, v) in sd) TensorAssert.Equal(v, back[k], k);

        File.WriteAllText(index, "{\"weight_map\": {\"x\": \"../elsewhere.safetensors\"}}");
        Assert.Contains("outside", Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(index)).Message);
    }

    public static TheoryData<string, string> BadHeaders => new()
    {
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", "needs 8" },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [2, 6]}}", "overlap" },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [1000000000], \"data_offsets\": [0, 4000000000]}}", "past the" },
        { "{\"a\": {\"dtype\": \"C64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", "unsupported dtype" },
        { "{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "invalid shape" },
        { "{\"a\": [1, 2", "not valid JSON" },
        { "[]", "not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void MalformedHeaderIsRefusedBeforeAllocation(string header, string phrase)
    {
        var bytes = Encoding.UTF8.GetBytes(header);
        using var file = new MemoryStream();
        file.Write(BitConverter.GetBytes((ulong)bytes.Length));
        file.Write(bytes);
        file.Write(new byte[16]);
        file.Position = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(file));
        Assert.Contains(phrase, e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "no tensor may be allocated for a bad header");
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRefused()
    {
        using var file = new MemoryStream(BitConverter.GetBytes(ulong.MaxValue));
        Assert.Contains("exceeds", Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(file)).Message);
        using var file2 = new MemoryStream([.. BitConverter.GetBytes(1000UL), .. "{}"u8]);
        Assert.Contains("longer than the file", Assert.Throws<CheckpointFormatException>(() => Safetensors.Load(file2)).Message);
    }

    [Fact]
    public void ModuleSavesAndLoadsByExtension()
    {
        Torch.ManualSeed(1);
        var a = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
        var b = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
        foreach (var ext in new[] { ".safetensors", ".pt" })
        {
            var path = Path.Combine(_dir, "m" + ext);
            a.Save(path);
            b.Load(path);
            foreach (var (k, v) in a.StateDict()) TensorAssert.Equal(v, b.StateDict()[k], k + ext);
        }
        Assert.Equal("pt", Safetensors.LoadMetadata(Path.Combine(_dir, "m.safetensors"))["format"]);
        Assert.Throws<ArgumentException>(() => a.Save(Path.Combine(_dir, "m.txt")));
    }
}
