using Nabla.Autograd;

namespace Nabla;

/// <summary>
/// An n-dimensional array with autograd (<c>torch.Tensor</c>): a view of flat typed storage through
/// shape, strides and offset. Views share storage; in-place ops bump the storage's version.
/// </summary>
public partial class Tensor : IDisposable
{
    private Storage? _storageRef;
    internal long[] _shape;
    internal long[] _strides;
    internal long _offset;
    internal int _numel;
    internal bool _contiguous;

    private bool _requiresGrad;
    internal AccumulateGrad? _gradAccumulator;
    internal bool _retainsGrad;
    internal int _outputNr;
    // A view's root base (never itself a view), the storage version its grad_fn belongs to, and how it was made.
    internal Tensor? _viewBase;
    internal int _viewVersion;
    internal ViewCreation _viewCreation;
    private Node? _gradFn;

    // Set for Python-number-like scalars created by operators (x * 2.0): lowest promotion priority.
    internal bool IsWrappedNumber;

    internal Tensor(Storage storage, long[] shape, long[] strides, long offset)
    {
        _storageRef = storage;
        // A new storage is not yet visible to another thread; a shared one may be viewed from several at once.
        if (storage.Tensors == 0) storage.Tensors = 1;
        else Interlocked.Increment(ref storage.Tensors);
        _shape = shape;
        _strides = strides;
        _offset = offset;
        _numel = checked((int)Shapes.Numel(shape));
        _contiguous = Shapes.IsContiguous(shape, strides);
    }

    internal Tensor(Storage storage, long[] shape) : this(storage, shape, Shapes.ContiguousStrides(shape), 0) { }

    // A fresh result over a new storage (no other tensor has it yet) whose element count and layout the caller knows.
    private Tensor(Storage freshStorage, long[] shape, long[] strides, int numel, bool contiguous)
    {
        _storageRef = freshStorage;
        freshStorage.Tensors = 1;
        _shape = shape;
        _strides = strides;
        _numel = numel;
        _contiguous = contiguous;
    }

    /// <summary>Wraps the same storage as <paramref name="other"/> (used by <see cref="NN.Parameter"/>).</summary>
    protected Tensor(Tensor other)
        : this(other._storage, other._shape, other._strides, other._offset) { }

    /// <summary>Element type (<c>tensor.dtype</c>).</summary>
    public DType DType => _storage.DType;

    /// <summary>Size of each dimension (<c>tensor.shape</c>); a copy, so changing it does not change the tensor.</summary>
    public long[] Shape => (long[])_shape.Clone();

    /// <summary>Elements to step in storage per index of each dimension (<c>tensor.stride()</c>).</summary>
    public long[] Strides => (long[])_strides.Clone();

    /// <summary>Position of the first element in storage (<c>tensor.storage_offset()</c>).</summary>
    public long StorageOffset => _offset;

    /// <summary>Number of dimensions (<c>tensor.dim()</c>).</summary>
    public int Dim => _shape.Length;

    /// <summary>Number of elements (<c>tensor.numel()</c>).</summary>
    public long Numel() => _numel;

    /// <summary>Size of one dimension, negative counting from the end (<c>tensor.size(dim)</c>).</summary>
    public long Size(int dim) => _shape[Shapes.NormalizeDim(dim, Dim)];

    /// <summary>The shape as a <see cref="TensorSize"/> that prints as PyTorch's <c>torch.Size([2, 3])</c>.</summary>
    public TensorSize Size() => new(_shape);

    /// <summary>True when elements are laid out row-major without gaps (<c>tensor.is_contiguous()</c>).</summary>
    public bool IsContiguous() => _contiguous;

    /// <summary>Whether gradients are recorded for this tensor (<c>tensor.requires_grad</c>).</summary>
    public bool RequiresGrad
    {
        // A view also requires grad once its base's history was rebased by an in-place op (its grad_fn is then regenerated).
        get => _requiresGrad || (_viewBase is not null && _viewCreation == ViewCreation.Default && GradFn is not null);
        set
        {
            if (!IsLeaf)
                throw new InvalidOperationException(
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException($"only Tensors of floating point dtype can require gradients (got {DType.TorchName()})");
            _requiresGrad = value;
        }
    }

    internal void SetRequiresGradUnchecked(bool value) => _requiresGrad = value;

    /// <summary>The accumulated gradient (<c>tensor.grad</c>); null until a backward pass reaches this tensor.</summary>
    public Tensor? Grad
    {
        get
        {
            // A gradient user code has seen may be kept by it: never recycled by ZeroGrad.
            if (_grad is { } g) g._userVisible = true;
            return _grad;
        }
        set
        {
            if (value is not null) value._userVisible = true;
            _grad = value;
        }
    }

    // The library reads and writes gradients through this field, so that only user code marks them visible.
    internal Tensor? _grad;
    internal bool _userVisible;

    /// <summary>
    /// The node that created this tensor (<c>tensor.grad_fn</c>); null for leaves. For a view whose storage was modified in
    /// place since its node was recorded, PyTorch's <c>AsStridedBackward0</c> over its base's current history.
    /// </summary>
    public Node? GradFn
    {
        get => _viewBase is null ? _gradFn : ViewGradFn();
        internal set
        {
            _gradFn = value;
            if (_viewBase is not null) _viewVersion = _storage.Version;
        }
    }

    /// <summary>True for tensors not created by a recorded op (<c>tensor.is_leaf</c>).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Version counter shared with views, bumped by in-place ops (<c>tensor._version</c>).</summary>
    public int Version => _storage.Version;

    /// <summary>The same data without autograd history (<c>tensor.data</c>).</summary>
    public Tensor Data => new(_storage, _shape, _strides, _offset);

    /// <summary>A tensor sharing storage, detached from the graph (<c>tensor.detach()</c>).</summary>
    public Tensor Detach() => new(_storage, _shape, _strides, _offset);

    /// <summary>Detaches this tensor from the graph in place, making it a leaf that does not require grad (<c>tensor.detach_()</c>).</summary>
    public Tensor Detach_()
    {
        if (IsView)
            throw new InvalidOperationException(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, " +
                "gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
        return DetachHistory();
    }

    /// <summary>Drops this tensor's history, a view's link to its base included (zero_grad on a gradient that may be a view).</summary>
    internal Tensor DetachHistory()
    {
        _viewBase = null;
        GradFn = null;
        _outputNr = 0;
        _requiresGrad = false;
        return this;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> in place and returns this tensor (<c>tensor.requires_grad_()</c>).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Keeps <see cref="Grad"/> for a non-leaf tensor after backward (<c>tensor.retain_grad()</c>).</summary>
    public void RetainGrad()
    {
        if (!_requiresGrad) throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (IsLeaf || _retainsGrad) return;
        _retainsGrad = true;
        ((GradFn!.Hooks ??= new()).RetainedOutputs ??= []).Add((this, _outputNr));
    }

    /// <summary>Whether <see cref="RetainGrad"/> was called on this non-leaf tensor (<c>tensor.retains_grad</c>).</summary>
    public bool RetainsGrad => _retainsGrad;

    internal T[] StorageArray<T>() => _storage.As<T>();

    internal void BumpVersion() => _storage.Version++;
}
