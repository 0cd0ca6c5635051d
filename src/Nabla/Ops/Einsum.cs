using Nabla.Tracing;

namespace Nabla;

// einsum for one and two operands, built on sum, permute, reshape, mul and bmm (as PyTorch's is).
public static partial class Torch
{
    /// <summary>
    /// Einstein summation over one or two operands (<c>torch.einsum(equation, *operands)</c>): "ij,jk->ik",
    /// "bij,bjk->bik", "i,i->", "ij->ji", "bi,bi->b", or an implicit output ("ij,jk": the letters seen once, sorted).
    /// Size-1 dimensions broadcast. Not supported: ellipsis ("...") and repeated letters within one operand (diagonals).
    /// </summary>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        ArgumentNullException.ThrowIfNull(equation);
        var eq = equation.Replace(" ", "", StringComparison.Ordinal);
        if (eq.Contains("...", StringComparison.Ordinal)) throw new NotSupportedException("einsum(): ellipsis ('...') is not supported");
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        var inputs = (arrow < 0 ? eq : eq[..arrow]).Split(',');
        if (inputs.Length != operands.Length)
            throw new ArgumentException($"einsum(): {(operands.Length > inputs.Length ? "more" : "fewer")} operands were provided than specified in the equation");
        if (operands.Length is < 1 or > 2) throw new NotSupportedException("einsum(): only one or two operands are supported");
        var sizes = new Dictionary<char, long>();
        for (int o = 0; o < operands.Length; o++)
        {
            var subs = inputs[o];
            foreach (var c in subs)
                if (!char.IsAsciiLetter(c)) throw new ArgumentException($"einsum(): invalid subscript given at index {eq.IndexOf(c, StringComparison.Ordinal)} in the equation string, subscripts must be in [a-zA-Z]");
            if (subs.Length != operands[o].Dim)
                throw new ArgumentException($"einsum(): the number of subscripts in the equation ({subs.Length}) does not match the number of dimensions ({operands[o].Dim}) for operand {o} and no ellipsis was given");
            if (subs.Distinct().Count() != subs.Length) throw new NotSupportedException($"einsum(): repeated subscripts within operand {o} (diagonals) are not supported");
            for (int i = 0; i < subs.Length; i++)
            {
                long s = operands[o]._shape[i];
                if (!sizes.TryGetValue(subs[i], out var seen) || seen == 1) sizes[subs[i]] = s;
                else if (s != seen && s != 1)
                    throw new ArgumentException($"einsum(): subscript {subs[i]} has size {s} for operand {o} which does not broadcast with previously seen size {seen}");
            }
        }
        string output;
        if (arrow >= 0)
        {
            output = eq[(arrow + 2)..];
            foreach (var c in output)
            {
                if (!sizes.ContainsKey(c)) throw new ArgumentException($"einsum(): output subscript {c} does not appear in the equation for any input operand");
                if (output.Count(x => x == c) > 1) throw new ArgumentException($"einsum(): output subscript {c} appears more than once in the output");
            }
        }
        else output = new string(string.Concat(inputs).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order().ToArray());

        Tensor r;
        using (Trace.Suspend())
            r = operands.Length == 1 ? EinsumOne(inputs[0], output, operands[0]) : EinsumTwo(inputs[0], inputs[1], output, operands[0], operands[1], sizes);
        if (Trace.Active) Trace.Record("einsum", operands, r, new Dictionary<string, object> { ["equation"] = eq });
        return r;
    }

    private static Tensor EinsumOne(string subs, string output, Tensor a)
    {
        var summed = Positions(subs, subs.Where(c => !output.Contains(c)));
        if (summed.Length > 0) a = a.Sum(summed);
        var rest = new string(subs.Where(output.Contains).ToArray());
        return PermuteTo(a, rest, output);
    }

    private static Tensor EinsumTwo(string sa, string sb, string output, Tensor a, Tensor b, Dictionary<char, long> sizes)
    {
        // Letters only one operand has and the output lacks are summed away first.
        var aSum = Positions(sa, sa.Where(c => !sb.Contains(c) && !output.Contains(c)));
        if (aSum.Length > 0) { a = a.Sum(aSum); sa = new string(sa.Where(c => sb.Contains(c) || output.Contains(c)).ToArray()); }
        var bSum = Positions(sb, sb.Where(c => !sa.Contains(c) && !output.Contains(c)));
        if (bSum.Length > 0) { b = b.Sum(bSum); sb = new string(sb.Where(c => sa.Contains(c) || output.Contains(c)).ToArray()); }
        a = a.Expand([.. sa.Select(c => sizes[c])]);
        b = b.Expand([.. sb.Select(c => sizes[c])]);

        var contracted = sa.Where(c => sb.Contains(c) && !output.Contains(c)).ToArray();
        if (contracted.Length == 0)
        {
            // No contraction: a broadcast product in output order.
            return Align(a, sa, output) * Align(b, sb, output);
        }
        var batch = output.Where(c => sa.Contains(c) && sb.Contains(c)).ToArray();
        var aKeep = output.Where(c => sa.Contains(c) && !sb.Contains(c)).ToArray();
        var bKeep = output.Where(c => sb.Contains(c) && !sa.Contains(c)).ToArray();
        long B = Product(batch, sizes), M = Product(aKeep, sizes), K = Product(contracted, sizes), N = Product(bKeep, sizes);
        var a3 = PermuteTo(a, sa, new string([.. batch, .. aKeep, .. contracted])).Reshape(B, M, K);
        var b3 = PermuteTo(b, sb, new string([.. batch, .. contracted, .. bKeep])).Reshape(B, K, N);
        var order = new string([.. batch, .. aKeep, .. bKeep]);
        var r = a3.Bmm(b3).View([.. order.Select(c => sizes[c])]);
        return PermuteTo(r, order, output);
    }

    private static int[] Positions(string subs, IEnumerable<char> letters) => letters.Select(c => subs.IndexOf(c, StringComparison.Ordinal)).ToArray();

    private static long Product(char[] letters, Dictionary<char, long> sizes) => letters.Aggregate(1L, (p, c) => p * sizes[c]);

    private static Tensor PermuteTo(Tensor t, string from, string to)
    {
        var perm = to.Select(c => from.IndexOf(c, StringComparison.Ordinal)).ToArray();
        bool identity = true;
        for (int i = 0; i < perm.Length; i++) identity &= perm[i] == i;
        return identity ? t : t.Permute(perm);
    }

    // The operand permuted into output order, with size-1 dims for output letters it lacks.
    private static Tensor Align(Tensor t, string subs, string output)
    {
        var present = new string(output.Where(subs.Contains).ToArray());
        t = PermuteTo(t, subs, present);
        for (int i = 0; i < output.Length; i++)
            if (!subs.Contains(output[i])) t = t.Unsqueeze(i);
        return t;
    }
}
