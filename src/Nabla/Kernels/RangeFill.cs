namespace Nabla.Kernels;

/// <summary>
/// arange and linspace values exactly as PyTorch's CPU kernels produce them. Those kernels run through
/// cpu_serial_kernel_vec: while two whole vectors (32 bytes each) remain, every vector is filled as
/// <c>base + i * step</c> from the value at its first index; the tail is computed element by element.
/// The two forms round differently, so the block structure is part of the result.
/// </summary>
internal static class RangeFill
{
    private static int VectorPrefix(int n, int lanes) => n / (2 * lanes) * (2 * lanes);

    /// <summary><c>torch.arange</c> for float32: each value is start + step * i in double (PyTorch's acc type), then rounded.</summary>
    public static void Arange(Span<float> d, double start, double step)
    {
        int prefix = VectorPrefix(d.Length, 8), i = 0;
        for (; i < prefix; i += 8)
        {
            float b = (float)(start + step * i);
            for (int k = 0; k < 8; k++) d[i + k] = (float)(b + k * step);
        }
        for (; i < d.Length; i++) d[i] = (float)(start + step * i);
    }

    /// <summary><c>torch.arange</c> for float64.</summary>
    public static void Arange(Span<double> d, double start, double step)
    {
        int prefix = VectorPrefix(d.Length, 4), i = 0;
        for (; i < prefix; i += 4)
        {
            double b = start + step * i;
            for (int k = 0; k < 4; k++) d[i + k] = b + k * step;
        }
        for (; i < d.Length; i++) d[i] = start + step * i;
    }

    /// <summary><c>torch.linspace</c> for float32: step in float32; the first half counts up from start, the second down from end.</summary>
    public static void Linspace(Span<float> d, float start, float end)
    {
        int n = d.Length;
        if (n == 0) return;
        if (n == 1) { d[0] = start; return; }
        float step = (end - start) / (n - 1);
        int half = n / 2, prefix = VectorPrefix(n, 8), i = 0;
        float At(int idx) => idx < half ? start + step * idx : end - step * (n - idx - 1);
        for (; i < prefix; i += 8)
        {
            float b = At(i);
            for (int k = 0; k < 8; k++) d[i + k] = b + k * step;
        }
        for (; i < n; i++) d[i] = At(i);
    }

    /// <summary><c>torch.linspace</c> for float64.</summary>
    public static void Linspace(Span<double> d, double start, double end)
    {
        int n = d.Length;
        if (n == 0) return;
        if (n == 1) { d[0] = start; return; }
        double step = (end - start) / (n - 1);
        int half = n / 2, prefix = VectorPrefix(n, 4), i = 0;
        double At(int idx) => idx < half ? start + step * idx : end - step * (n - idx - 1);
        for (; i < prefix; i += 4)
        {
            double b = At(i);
            for (int k = 0; k < 4; k++) d[i + k] = b + k * step;
        }
        for (; i < n; i++) d[i] = At(i);
    }

    /// <summary><c>torch.linspace</c> for int64: the step is a double and every value truncates toward zero.</summary>
    public static void Linspace(Span<long> d, long start, long end)
    {
        int n = d.Length;
        if (n == 0) return;
        if (n == 1) { d[0] = start; return; }
        double step = ((double)end - start) / (n - 1);
        int half = n / 2, prefix = VectorPrefix(n, 4), i = 0;
        long At(int idx) => (long)(idx < half ? start + step * idx : end - step * (n - idx - 1));
        for (; i < prefix; i += 4)
        {
            long b = At(i);
            for (int k = 0; k < 4; k++) d[i + k] = (long)(b + k * step);
        }
        for (; i < n; i++) d[i] = At(i);
    }
}
