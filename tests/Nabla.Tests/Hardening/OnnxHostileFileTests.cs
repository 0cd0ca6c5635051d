using Google.Protobuf;
using Nabla.Onnx;
using Nabla.Onnx.Proto;
using Nabla.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.Hardening;

/// <summary>
/// Hostile ONNX files: an initializer claiming 100,000 dims (read, inspected and printed without a crash), and
/// files whose size must bound what reading them allocates.
/// </summary>
public class OnnxHostileFileTests(ITestOutputHelper output)
{
    private static OnnxModel Load(ModelProto proto) => OnnxModel.Load(proto.ToByteArray());

    /// <summary>One float initializer of 100,000 dims of size 1: a file of 100 to 200 KB, as the dims are packed or not.</summary>
    private static byte[] HundredThousandDimsFile()
    {
        var tensor = OnnxTestModels.RawFloats("deep", Enumerable.Repeat(1L, 100_000).ToArray(), [1.5f]);
        byte[] packed = OnnxTestModels.WithInitializer(tensor).ToByteArray();
        Assert.InRange(packed.Length, 100_000, 300_000);
        return packed;
    }

    [Fact]
    public void HundredThousandDimsInitializerLoadsAndInspects()
    {
        var model = OnnxModel.Load(HundredThousandDimsFile());
        var initializer = Assert.Single(model.Graph.Initializers);
        Assert.Equal(100_000, initializer.Dims.Length);
        Assert.Equal(1, initializer.ElementCount);
        Assert.Contains("… (100000 dims)]", OnnxInspector.Render(model));
        Assert.Equal([1.5f], initializer.ToArray<float>());
    }

    [Fact]
    public void HundredThousandDimsInitializerRefusesToBecomeATensor()
    {
        var initializer = OnnxModel.Load(HundredThousandDimsFile()).Graph.Initializers[0];
        var e = Assert.Throws<NotSupportedException>(initializer.ToTensor);
        Assert.Equal("initializer 'deep' has 100000 dims; a tensor has at most 64 (only tensors with up to 64 dims are supported).", e.Message);
    }

    [Fact]
    public void HundredThousandDimsInitializerRefusesToPrintAsNumpy()
    {
        var initializer = OnnxModel.Load(HundredThousandDimsFile()).Graph.Initializers[0];
        var e = Assert.Throws<NotSupportedException>(() => OnnxInspector.NumpyString(initializer));
        Assert.Equal("maximum supported dimension for an ndarray is 64, found 100000", e.Message);
    }

    [Fact]
    public void Rank64InitializerBecomesATensorAndPrints()
    {
        var tensor = OnnxTestModels.RawFloats("w", Enumerable.Repeat(1L, 64).ToArray(), [0.25f]);
        var initializer = Load(OnnxTestModels.WithInitializer(tensor)).Graph.Initializers[0];
        Assert.Equal("tensor(" + new string('[', 64) + "0.2500" + new string(']', 64) + ")", initializer.ToTensor().ToString());
        Assert.Equal(new string('[', 64) + "0.25" + new string(']', 64), OnnxInspector.NumpyString(initializer));
    }

    /// <summary>
    /// 20,000 one-float initializers with ten-character names (a 480 KB file): loading it and reading each with ToTensor
    /// stays within 64x the file + 64 MiB. (Measured: about 660 bytes per initializer are protobuf's own TensorProto,
    /// about 110 Nabla's wrapper, 250 the tensor.)
    /// </summary>
    [Fact]
    public void ManyTinyInitializersAllocateInProportionToTheFile()
    {
        var graph = new GraphProto { Name = "g" };
        for (int i = 0; i < 20_000; i++)
            graph.Initializer.Add(OnnxTestModels.RawFloats($"w{i:D9}", [1], [i]));
        byte[] file = OnnxTestModels.Model(graph).ToByteArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = OnnxModel.Load(file);
        long loaded = GC.GetAllocatedBytesForCurrentThread() - before;
        double sum = 0;
        foreach (var initializer in model.Graph.Initializers)
            sum += initializer.ToTensor().Item<float>();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"file {file.Length} bytes; Load allocated {loaded} bytes, Load and every ToTensor {allocated} bytes ({(double)allocated / file.Length:F1}x the file)");
        Assert.Equal(19_999.0 * 20_000 / 2, sum);
        long budget = (64L * file.Length) + (64L << 20);
        Assert.True(allocated <= budget, $"{allocated} bytes allocated for a {file.Length}-byte file (budget {budget}).");
    }

    [Theory]
    [InlineData(1_000_000_000_000L)]
    [InlineData(1_000_000L)]
    [InlineData(2L)]
    public void ClaimedSizeBeyondTheDataIsRefusedBeforeAllocating(long claimed)
    {
        byte[] file = OnnxTestModels.WithInitializer(OnnxTestModels.RawFloats("big", [claimed], [1f])).ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(file));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("raw_data holds 4 bytes", e.Message);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated refusing a {file.Length}-byte file.");
    }

    [Fact]
    public void TypedDataShorterThanTheDimsIsRefused()
    {
        var t = new TensorProto { Name = "typed", DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(1_000_000_000);
        t.FloatData.Add(1f);
        var e = Assert.Throws<OnnxFormatException>(() => Load(OnnxTestModels.WithInitializer(t)));
        Assert.Contains("but it holds 1", e.Message);
    }
}
