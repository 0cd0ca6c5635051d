using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// The elementwise gate math of one LSTM or GRU step over a batch, forward and backward, in one pass over contiguous rows. The
/// forward does PyTorch's arithmetic in PyTorch's order (the same sigmoid and tanh as the standalone ops), so values equal the
/// unfused composition's; the backward applies the chain rule to the saved activations.
/// </summary>
internal static class RecurrentGates
{
    private static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    /// <summary>
    /// LSTM: gates [B, 4H] (pre-activations i, f, g, o), c [B, H] → h [B, H], c' [B, H]; <paramref name="acts"/> [B, 4H] receives
    /// σ(i), σ(f), tanh(g), σ(o) and <paramref name="tanhC"/> receives tanh(c') for the backward.
    /// </summary>
    public static void LstmForward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> c, Span<T> h, Span<T> cy, Span<T> acts, Span<T> tanhC, int batch, int hidden)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            var g = gates.Slice(b * 4 * hidden, 4 * hidden);
            var a = acts.Slice(b * 4 * hidden, 4 * hidden);
            int row = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T i = Sigmoid(g[j]), f = Sigmoid(g[hidden + j]), cell = T.Tanh(g[2 * hidden + j]), o = Sigmoid(g[3 * hidden + j]);
                T fc = f * c[row + j], ic = i * cell;
                T next = fc + ic;
                T tc = T.Tanh(next);
                cy[row + j] = next;
                h[row + j] = o * tc;
                a[j] = i;
                a[hidden + j] = f;
                a[2 * hidden + j] = cell;
                a[3 * hidden + j] = o;
                tanhC[row + j] = tc;
            }
        }
    }

    /// <summary>LSTM backward: from dh and dc' (either may be empty for a zero gradient) to d gates [B, 4H] and dc [B, H].</summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> dcy, ReadOnlySpan<T> acts, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> c,
        Span<T> dGates, Span<T> dc, int batch, int hidden) where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            var a = acts.Slice(b * 4 * hidden, 4 * hidden);
            var d = dGates.Slice(b * 4 * hidden, 4 * hidden);
            int row = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T i = a[j], f = a[hidden + j], cell = a[2 * hidden + j], o = a[3 * hidden + j], tc = tanhC[row + j];
                T gh = dh.IsEmpty ? T.Zero : dh[row + j];
                T gc = (dcy.IsEmpty ? T.Zero : dcy[row + j]) + gh * o * (T.One - tc * tc);
                d[j] = gc * cell * i * (T.One - i);
                d[hidden + j] = gc * c[row + j] * f * (T.One - f);
                d[2 * hidden + j] = gc * i * (T.One - cell * cell);
                d[3 * hidden + j] = gh * tc * o * (T.One - o);
                dc[row + j] = gc * f;
            }
        }
    }

    /// <summary>
    /// GRU: input gates and hidden gates [B, 3H] (r, z, n; both with their biases), h [B, H] → h' [B, H]; <paramref name="acts"/>
    /// [B, 3H] receives r, z, n for the backward.
    /// </summary>
    public static void GruForward<T>(ReadOnlySpan<T> ig, ReadOnlySpan<T> hg, ReadOnlySpan<T> h, Span<T> hy, Span<T> acts, int batch, int hidden)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            var x = ig.Slice(b * 3 * hidden, 3 * hidden);
            var s = hg.Slice(b * 3 * hidden, 3 * hidden);
            var a = acts.Slice(b * 3 * hidden, 3 * hidden);
            int row = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T r = Sigmoid(s[j] + x[j]);
                T z = Sigmoid(s[hidden + j] + x[hidden + j]);
                T n = T.Tanh(x[2 * hidden + j] + s[2 * hidden + j] * r);
                hy[row + j] = (h[row + j] - n) * z + n;
                a[j] = r;
                a[hidden + j] = z;
                a[2 * hidden + j] = n;
            }
        }
    }

    /// <summary>GRU backward: from dh' to d input gates, d hidden gates [B, 3H] and dh [B, H].</summary>
    public static void GruBackward<T>(ReadOnlySpan<T> dhy, ReadOnlySpan<T> acts, ReadOnlySpan<T> hg, ReadOnlySpan<T> h,
        Span<T> dIg, Span<T> dHg, Span<T> dh, int batch, int hidden) where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            var a = acts.Slice(b * 3 * hidden, 3 * hidden);
            var s = hg.Slice(b * 3 * hidden, 3 * hidden);
            var di = dIg.Slice(b * 3 * hidden, 3 * hidden);
            var dhh = dHg.Slice(b * 3 * hidden, 3 * hidden);
            int row = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T r = a[j], z = a[hidden + j], n = a[2 * hidden + j], g = dhy[row + j];
                T dn = g * (T.One - z) * (T.One - n * n);
                T dz = g * (h[row + j] - n) * z * (T.One - z);
                T dr = dn * s[2 * hidden + j] * r * (T.One - r);
                di[j] = dhh[j] = dr;
                di[hidden + j] = dhh[hidden + j] = dz;
                di[2 * hidden + j] = dn;
                dhh[2 * hidden + j] = dn * r;
                dh[row + j] = g * z;
            }
        }
    }
}
