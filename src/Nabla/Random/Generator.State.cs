namespace Nabla;

// Saving and restoring a generator's position, so that a computation can be replayed with the same random numbers.
public sealed partial class Generator
{
    /// <summary>An opaque copy of the generator's position (<c>generator.get_state()</c>): engine, seed and cached normal.</summary>
    public GeneratorState GetState()
    {
        lock (_lock) return new GeneratorState(_engine.Snapshot(), _initialSeed, _nextNormal);
    }

    /// <summary>Puts the generator back at a position from <see cref="GetState"/> (<c>generator.set_state(state)</c>).</summary>
    public void SetState(GeneratorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            _engine.Restore(state.Engine);
            _initialSeed = state.InitialSeed;
            _nextNormal = state.NextNormal;
        }
    }
}

/// <summary>A generator's saved position (what <c>torch.Generator.get_state()</c> returns as a byte tensor).</summary>
public sealed class GeneratorState
{
    internal GeneratorState((uint[] State, int Next) engine, long initialSeed, double? nextNormal)
    {
        Engine = engine;
        InitialSeed = initialSeed;
        NextNormal = nextNormal;
    }

    internal (uint[] State, int Next) Engine { get; }
    internal long InitialSeed { get; }
    internal double? NextNormal { get; }
}
