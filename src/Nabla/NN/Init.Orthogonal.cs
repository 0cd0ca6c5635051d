using Nabla.Autograd;

namespace Nabla.NN;

public static partial class Init
{
    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/> (<c>nn.init.orthogonal_</c>), drawn as PyTorch does: a [rows, numel/rows]
    /// normal sample (transposed when wider than tall), its QR factorisation, Q's columns multiplied by the signs of R's diagonal.
    /// The draws are PyTorch's exactly; the QR is a Householder factorisation in double rounded to the tensor's dtype, where PyTorch calls
    /// LAPACK in the tensor's precision, so values agree to float rounding (about 1e-6), not bit for bit.
    /// </summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        if (tensor.Dim < 2) throw new ArgumentException("Only tensors with 2 or more dimensions are supported");
        if (tensor.Numel() == 0) return tensor;
        int rows = (int)tensor.Size(0), cols = (int)(tensor.Numel() / rows);
        using (GradMode.Set(false))
        {
            var flat = Torch.Empty([rows, cols], tensor.DType).Normal_(0, 1, generator);
            bool wide = rows < cols;
            // The (possibly transposed) sample as a tall m x n matrix, m >= n.
            var sample = (wide ? flat.T() : flat).CastRaw(DType.Float64).Span<double>().ToArray();
            int m = wide ? cols : rows, n = wide ? rows : cols;
            var q = HouseholderQ(sample, m, n);
            var qt = Tensor.FromArray(q, [m, n]).CastRaw(tensor.DType);
            if (wide) qt = qt.T();
            tensor.View(qt.Shape).CopyRaw(qt);
            tensor.BumpVersion();
            return tensor.Mul_(gain);
        }
    }

    /// <summary>
    /// The reduced Q (m x n, m &gt;= n) of A = QR by Householder reflections, with each column j multiplied by sign(R[j, j]) so that
    /// R's diagonal is non-negative (the unique factorisation PyTorch's sign fix selects); a zero diagonal zeroes its column, as sign(0) = 0.
    /// </summary>
    private static double[] HouseholderQ(double[] a, int m, int n)
    {
        var vs = new double[n][];
        var diag = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
            norm = Math.Sqrt(norm);
            double alpha = a[k * n + k] >= 0 ? -norm : norm;
            var v = new double[m];
            for (int i = k; i < m; i++) v[i] = a[i * n + k];
            v[k] -= alpha;
            double vnorm2 = 0;
            for (int i = k; i < m; i++) vnorm2 += v[i] * v[i];
            vs[k] = v;
            if (vnorm2 == 0) { diag[k] = a[k * n + k]; continue; }
            // A ← (I − 2vvᵀ/vᵀv) A on columns k..n−1.
            for (int j = k; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * a[i * n + j];
                double f = 2 * dot / vnorm2;
                for (int i = k; i < m; i++) a[i * n + j] -= f * v[i];
            }
            diag[k] = a[k * n + k];
        }
        // Q = H0 H1 … H(n−1) applied to the first n columns of the identity.
        var q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            var v = vs[k];
            double vnorm2 = 0;
            for (int i = k; i < m; i++) vnorm2 += v[i] * v[i];
            if (vnorm2 == 0) continue;
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                double f = 2 * dot / vnorm2;
                for (int i = k; i < m; i++) q[i * n + j] -= f * v[i];
            }
        }
        for (int j = 0; j < n; j++)
        {
            double sign = Math.Sign(diag[j]);
            for (int i = 0; i < m; i++) q[i * n + j] *= sign;
        }
        return q;
    }
}
