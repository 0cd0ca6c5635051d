namespace Nabla.NN;

/// <summary>
/// Gives a registered field or property the state-dict name PyTorch uses (<c>[StateName("weight")] public Parameter Weight</c>),
/// so keys match PyTorch checkpoints while members keep .NET names.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class StateNameAttribute(string name) : Attribute
{
    /// <summary>The key under which the member appears in <c>NamedParameters()</c>, <c>StateDict()</c> and the repr.</summary>
    public string Name { get; } = name;
}
