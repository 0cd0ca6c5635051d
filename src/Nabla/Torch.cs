using Nabla.Autograd;

namespace Nabla;

/// <summary>The <c>torch</c> namespace: tensor factories, seeding, grad mode and functional forms of ops.</summary>
public static partial class Torch
{
    /// <summary>Seeds the default CPU generator (<c>torch.manual_seed</c>) and returns it.</summary>
    public static Generator ManualSeed(long seed) => Generator.Default.ManualSeed(seed);

    /// <summary>The seed the default generator was last seeded with (<c>torch.initial_seed()</c>).</summary>
    public static long InitialSeed() => Generator.Default.InitialSeed();

    /// <summary>Disables graph recording on this thread until the scope is disposed (<c>with torch.no_grad():</c>).</summary>
    public static IDisposable NoGrad() => GradMode.Set(false);

    /// <summary>Enables graph recording on this thread until the scope is disposed (<c>with torch.enable_grad():</c>).</summary>
    public static IDisposable EnableGrad() => GradMode.Set(true);

    /// <summary>Sets grad mode until the scope is disposed (<c>torch.set_grad_enabled(mode)</c>).</summary>
    public static IDisposable SetGradEnabled(bool enabled) => GradMode.Set(enabled);

    /// <summary>Whether graph recording is on for this thread (<c>torch.is_grad_enabled()</c>).</summary>
    public static bool IsGradEnabled() => GradMode.IsEnabled;

    /// <summary>Sets how many threads kernels may use (<c>torch.set_num_threads</c>); defaults to the processor count.</summary>
    public static void SetNumThreads(int threads) => Kernels.Parallelism.Threads = threads;

    /// <summary>How many threads kernels may use (<c>torch.get_num_threads()</c>).</summary>
    public static int GetNumThreads() => Kernels.Parallelism.Threads;

    // ---- tensors from C# values ----

    /// <summary>A 0-d int64 tensor (<c>torch.tensor(42)</c>).</summary>
    public static Tensor Tensor(long value, DType? dtype = null, bool requiresGrad = false) => Scalar(new[] { value }, dtype, requiresGrad);

    /// <summary>A 0-d float32 tensor (<c>torch.tensor(0.5)</c>).</summary>
    public static Tensor Tensor(double value, DType? dtype = null, bool requiresGrad = false) => Scalar(new[] { (float)value }, dtype, requiresGrad, new[] { value });

    /// <summary>A 0-d float32 tensor.</summary>
    public static Tensor Tensor(float value, DType? dtype = null, bool requiresGrad = false) => Scalar(new[] { value }, dtype, requiresGrad);

    /// <summary>A 0-d bool tensor (<c>torch.tensor(True)</c>).</summary>
    public static Tensor Tensor(bool value, DType? dtype = null, bool requiresGrad = false) => Scalar(new[] { value }, dtype, requiresGrad);

    // A double literal keeps full precision when the caller asks for float64.
    private static Tensor Scalar(Array data, DType? dtype, bool requiresGrad, double[]? exact = null)
    {
        var t = Nabla.Tensor.FromArray(dtype == DType.Float64 && exact is not null ? exact : data, []);
        return Finish(dtype is { } d ? t.CastRaw(d) : t, requiresGrad);
    }

    /// <summary>A 1-D float32 tensor (<c>torch.tensor([1.0, 2.0])</c>).</summary>
    public static Tensor Tensor(float[] data, DType? dtype = null, bool requiresGrad = false) => FromData(data.ToArray(), [data.Length], dtype, requiresGrad);

    /// <summary>A 1-D tensor from doubles: float32 unless <paramref name="dtype"/> says otherwise, as PyTorch does with Python floats.</summary>
    public static Tensor Tensor(double[] data, DType? dtype = null, bool requiresGrad = false)
        => FromData(data.ToArray(), [data.Length], dtype ?? DType.Float32, requiresGrad);

    /// <summary>A 1-D int64 tensor.</summary>
    public static Tensor Tensor(long[] data, DType? dtype = null, bool requiresGrad = false) => FromData(data.ToArray(), [data.Length], dtype, requiresGrad);

    /// <summary>A 1-D int64 tensor from ints, as PyTorch does with Python ints.</summary>
    public static Tensor Tensor(int[] data, DType? dtype = null, bool requiresGrad = false)
        => FromData(data.ToArray(), [data.Length], dtype ?? DType.Int64, requiresGrad);

    /// <summary>A 1-D bool tensor.</summary>
    public static Tensor Tensor(bool[] data, DType? dtype = null, bool requiresGrad = false) => FromData(data.ToArray(), [data.Length], dtype, requiresGrad);

    /// <summary>A 2-D float32 tensor.</summary>
    public static Tensor Tensor(float[,] data, DType? dtype = null, bool requiresGrad = false) => FromData(Flat(data), Dims(data), dtype, requiresGrad);

    /// <summary>A 2-D tensor from doubles (float32 unless <paramref name="dtype"/> says otherwise).</summary>
    public static Tensor Tensor(double[,] data, DType? dtype = null, bool requiresGrad = false) => FromData(Flat(data), Dims(data), dtype ?? DType.Float32, requiresGrad);

    /// <summary>A 2-D int64 tensor.</summary>
    public static Tensor Tensor(long[,] data, DType? dtype = null, bool requiresGrad = false) => FromData(Flat(data), Dims(data), dtype, requiresGrad);

    /// <summary>A 2-D int64 tensor from ints.</summary>
    public static Tensor Tensor(int[,] data, DType? dtype = null, bool requiresGrad = false) => FromData(Flat(data), Dims(data), dtype ?? DType.Int64, requiresGrad);

    /// <summary>A 2-D bool tensor.</summary>
    public static Tensor Tensor(bool[,] data, DType? dtype = null, bool requiresGrad = false) => FromData(Flat(data), Dims(data), dtype, requiresGrad);

    private static T[] Flat<T>(T[,] data)
    {
        var flat = new T[data.Length];
        int i = 0;
        foreach (var v in data) flat[i++] = v;
        return flat;
    }

    private static long[] Dims(Array data) => [data.GetLength(0), data.GetLength(1)];

    private static Tensor FromData(Array data, long[] shape, DType? dtype, bool requiresGrad)
    {
        var t = Nabla.Tensor.FromArray(data, shape);
        return Finish(dtype is { } d ? t.CastRaw(d) : t, requiresGrad);
    }

    private static Tensor Finish(Tensor t, bool requiresGrad)
    {
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>Builds a tensor over a flat row-major array with the given shape, without copying.</summary>
    public static Tensor FromArray(Array data, params long[] shape) => Nabla.Tensor.FromArray(data, shape);
}
