namespace Nabla.Autograd;

/// <summary>
/// How a backward that runs on kernels stays differentiable under <c>createGraph</c>. Without createGraph (grad mode off
/// inside backward) the kernels run as before; with it, the gradient is recorded as a graph tensor.
/// </summary>
internal static class DoubleBackward
{
    /// <summary>
    /// A backward linear in its incoming gradient <paramref name="g"/>, computed by a kernel (<paramref name="map"/>): under
    /// createGraph it is recorded as a node <paramref name="name"/> whose backward is the differentiable <paramref name="adjoint"/>.
    /// </summary>
    public static Tensor Linear(string name, Tensor g, Func<Tensor, Tensor> map, Func<Tensor, Tensor> adjoint)
    {
        if (!Graph.Needs(g)) return map(g);
        Tensor r;
        using (GradMode.Set(false)) r = map(g);
        Graph.Record(name, r, [g], gg => [adjoint(gg)]);
        return r;
    }

    /// <summary>
    /// The gradients of <paramref name="composite"/> (the op written with differentiable ops) at <paramref name="inputs"/>
    /// for output gradient <paramref name="g"/>, as graph tensors: the createGraph form of a kernel-backed backward that is
    /// not linear in its inputs (the norms). Null for inputs that do not require grad.
    /// </summary>
    public static Tensor?[] Recompute(Tensor[] inputs, Tensor g, Func<Tensor[], Tensor> composite)
    {
        var wanted = inputs.Where(t => t.RequiresGrad).ToArray();
        Tensor output;
        using (GradMode.Set(true)) output = composite(inputs);
        var grads = Autograd.Grad([output], wanted, [g], retainGraph: true, createGraph: true, allowUnused: true);
        var result = new Tensor?[inputs.Length];
        for (int i = 0, k = 0; i < inputs.Length; i++)
            if (inputs[i].RequiresGrad) result[i] = grads[k++] ?? Torch.ZerosLike(inputs[i]);
        return result;
    }
}
