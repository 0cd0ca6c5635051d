using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// A CPU random number generator that reproduces PyTorch's <c>torch.Generator</c> bit for bit: the same seed gives
/// the same <c>rand</c>, <c>randn</c>, <c>randint</c>, <c>randperm</c> and <c>bernoulli</c> streams as PyTorch's CPU kernels of
/// the chosen <see cref="CpuCapability"/> (portable or AVX2; see <see cref="Torch.SetCpuCapability"/>). Thread-safe as PyTorch's is: each draw call (a whole tensor's fill, one word, a seeding)
/// holds the generator's lock, so concurrent calls take disjoint stretches of the stream.
/// </summary>
public sealed partial class Generator
{
    /// <summary>The seed of a freshly constructed <c>torch.Generator()</c>.</summary>
    private const long FreshSeed = 67280421310721;

    private readonly MersenneTwister _engine;
    // PyTorch's CPUGeneratorImpl::mutex_: taken once per draw call, never per element.
    private readonly Lock _lock = new();
    private long _initialSeed;
    // The second Box–Muller value of the scalar normal path, returned by the next scalar-path draw.
    private double? _nextNormal;

    /// <summary>Creates a generator with PyTorch's fixed default seed 67280421310721, like <c>torch.Generator()</c>.</summary>
    public Generator() : this(FreshSeed) { }

    private Generator(long seed)
    {
        _engine = new MersenneTwister((uint)seed);
        _initialSeed = seed;
    }

    /// <summary>
    /// The global generator used when an operation is given none (PyTorch's default CPU generator); <c>Torch.ManualSeed</c>
    /// reseeds it. Like PyTorch's, it starts from a non-deterministic seed.
    /// </summary>
    public static Generator Default { get; } = new(NonDeterministicSeed());

    /// <summary>
    /// Seeds the generator, like <c>torch.Generator.manual_seed(seed)</c>: only the low 32 bits reach the engine,
    /// <see cref="InitialSeed"/> reports the full value, and any cached normal value is dropped.
    /// </summary>
    /// <returns>This generator, for chaining.</returns>
    public Generator ManualSeed(long seed)
    {
        lock (_lock)
        {
            _engine.Seed((uint)seed);
            _initialSeed = seed;
            _nextNormal = null;
        }
        return this;
    }

    /// <summary>The seed last given to this generator, like <c>torch.Generator.initial_seed()</c>.</summary>
    /// <remarks>PyTorch reports seeds as unsigned 64-bit; a seed at or above 2^63 reads back as its signed reinterpretation.</remarks>
    public long InitialSeed()
    {
        lock (_lock)
            return _initialSeed;
    }

    /// <summary>The next 32-bit word of the mt19937 stream (PyTorch's <c>CPUGeneratorImpl::random()</c>).</summary>
    public uint Random()
    {
        lock (_lock)
            return NextWord();
    }

    /// <summary>Two words of the stream, the first as the high half (PyTorch's <c>CPUGeneratorImpl::random64()</c>).</summary>
    public ulong Random64()
    {
        lock (_lock)
            return NextWord64();
    }

    // The unlocked draws below serve the fills, which hold the lock for the whole tensor.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint NextWord() => _engine.NextUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong NextWord64()
    {
        ulong hi = _engine.NextUInt32();
        return (hi << 32) | _engine.NextUInt32();
    }

    /// <summary>A double in [0, 1) from the low 53 bits of <see cref="Random64"/>; the caller holds the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double NextUniformDouble() => (NextWord64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    /// <summary>A float in [0, 1) from the low 24 bits of <see cref="Random"/>; the caller holds the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal float NextUniformFloat() => (NextWord() & ((1u << 24) - 1)) * (1f / (1u << 24));

    /// <summary>A uniform draw of T's precision: 24 bits (one word) for float, 53 bits (two words) for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T NextUniform<T>() where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return T.CreateTruncating(NextUniformFloat());
        if (typeof(T) == typeof(double))
            return T.CreateTruncating(NextUniformDouble());
        throw new NotSupportedException($"Random sampling of {typeof(T).Name} is not supported.");
    }

    /// <summary><c>uniform64() &lt; p</c>, PyTorch's <c>bernoulli_</c> with a float p or a float64 probability tensor; the caller holds the lock.</summary>
    internal bool NextBernoulli(double p) => NextUniformDouble() < p;

    /// <summary><c>uniform32() &lt; p</c>, PyTorch's <c>bernoulli</c> with a float32 probability tensor; the caller holds the lock.</summary>
    internal bool NextBernoulli(float p) => NextUniformFloat() < p;

    // PyTorch draws this seed from std::random_device. Random.Shared is seeded from the OS's random bytes as well, and
    // unlike RandomNumberGenerator it does not load OpenSSL: about 7 ms and 5 MB of a fresh process's start.
    private static long NonDeterministicSeed() => System.Random.Shared.NextInt64();
}
