using System.Collections;

namespace Nabla.Tests.FunctionalParity;

/// <summary>An option of a case, written after its lambda.</summary>
public abstract record CaseOption;

/// <summary>Tolerances other than the default, and why.</summary>
public sealed record Tolerance(double Rtol, double Atol, string Reason) : CaseOption;

/// <summary>The case is not gradchecked, and why (a point where the op is not differentiable).</summary>
public sealed record NoGradCheck(string Reason) : CaseOption;

/// <summary>A C# evaluation of a golden case: inputs in golden order, outputs in PyTorch's order.</summary>
public sealed record OpCase(Func<Tensor[], Tensor[]> Run, Tolerance? Tolerance = null, NoGradCheck? NoGradCheck = null)
{
    public static OpCase With(Func<Tensor[], Tensor[]> run, CaseOption[] options)
        => new(run, options.OfType<Tolerance>().FirstOrDefault(), options.OfType<NoGradCheck>().FirstOrDefault());
}

/// <summary>
/// A table of op cases keyed by golden name, written as a collection initializer so that a new op's parity
/// test is one line: <c>{ "softmax_dim1", x =&gt; F.Softmax(x[0], 1) }</c>. Lambdas may return one tensor,
/// an array, or a (values, indices) pair.
/// </summary>
public sealed class OpCases : IEnumerable<KeyValuePair<string, OpCase>>
{
    private readonly Dictionary<string, OpCase> _cases = [];

    public void Add(string name, Func<Tensor[], Tensor> run, params CaseOption[] options) => Add(name, OpCase.With(x => [run(x)], options));
    public void Add(string name, Func<Tensor[], Tensor[]> run, params CaseOption[] options) => Add(name, OpCase.With(run, options));
    public void Add(string name, Func<Tensor[], (Tensor, Tensor)> run, params CaseOption[] options)
        => Add(name, OpCase.With(x => { var (a, b) = run(x); return [a, b]; }, options));

    public void Add(IEnumerable<KeyValuePair<string, OpCase>> cases)
    {
        foreach (var (name, op) in cases) Add(name, op);
    }

    public void Add(string name, OpCase op)
    {
        if (!_cases.TryAdd(name, op)) throw new ArgumentException($"duplicate case {name}");
    }

    public OpCase this[string name] => _cases[name];
    public bool Contains(string name) => _cases.ContainsKey(name);
    public IEnumerable<string> Names => _cases.Keys;
    public IEnumerator<KeyValuePair<string, OpCase>> GetEnumerator() => _cases.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
