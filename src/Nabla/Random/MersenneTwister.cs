using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// The mt19937 engine exactly as PyTorch's <c>at::mt19937</c>: seeded with the classic <c>init_genrand</c>,
/// one tempered 32-bit word per call.
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _state = new uint[N];
    private int _next;

    /// <summary>Creates an engine seeded with <paramref name="seed"/> (<c>init_genrand</c>).</summary>
    public MersenneTwister(uint seed) => Seed(seed);

    /// <summary>Re-seeds the engine in place (<c>init_genrand</c>); the next word starts a fresh twist.</summary>
    public void Seed(uint seed)
    {
        uint[] s = _state;
        s[0] = seed;
        for (int i = 1; i < N; i++)
            s[i] = 1812433253u * (s[i - 1] ^ (s[i - 1] >> 30)) + (uint)i;
        _next = N;
    }

    /// <summary>The engine's position: its 624 words and the index of the next one.</summary>
    public (uint[] State, int Next) Snapshot() => ((uint[])_state.Clone(), _next);

    /// <summary>Puts the engine back at a position taken by <see cref="Snapshot"/>.</summary>
    public void Restore((uint[] State, int Next) snapshot)
    {
        snapshot.State.CopyTo(_state, 0);
        _next = snapshot.Next;
    }

    /// <summary>The next tempered 32-bit output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        if (_next >= N)
            Twist();
        uint y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    // Regenerates all 624 words at once; kept out of line so NextUInt32 stays small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Twist()
    {
        uint[] s = _state;
        int i = 0;
        for (; i < N - M; i++)
            s[i] = s[i + M] ^ Mix(s[i], s[i + 1]);
        for (; i < N - 1; i++)
            s[i] = s[i + M - N] ^ Mix(s[i], s[i + 1]);
        s[N - 1] = s[M - 1] ^ Mix(s[N - 1], s[0]);
        _next = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint upper, uint lower)
    {
        uint y = (upper & UpperMask) | (lower & LowerMask);
        return (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
    }
}
