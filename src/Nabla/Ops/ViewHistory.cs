using Nabla.Autograd;

namespace Nabla;

/// <summary>How a view was made, which decides whether in-place writes through it may be recorded (PyTorch's CreationMeta).</summary>
internal enum ViewCreation : byte
{
    /// <summary>With grad mode on, by a single-output view op.</summary>
    Default,
    /// <summary>With grad mode off.</summary>
    NoGrad,
    /// <summary>By an op that returns several views (split, chunk).</summary>
    MultiOutput,
}

// The history of views under in-place ops (PyTorch's rebase_history and VariableHooks::grad_fn): an op writing through a
// view becomes the root base's history as CopySlices, and every view whose storage changed since its node was recorded
// reads its gradient from its base's current history (AsStridedBackward0).
public partial class Tensor
{
    // The creation of a view of this tensor: a view of a view keeps the stricter of the two.
    private ViewCreation CreationOfView()
    {
        var made = GradMode.IsEnabled ? ViewCreation.Default : ViewCreation.NoGrad;
        return made == ViewCreation.Default && _viewBase is not null ? _viewCreation : made;
    }

    private Node? ViewGradFn()
    {
        var root = _viewBase!;
        if (_gradFn is null && !root._requiresGrad) return null;
        int version = _storage.Version;
        if (_viewVersion == version) return _gradFn;
        // The storage changed: the base, this view or another view of the base was written in place.
        if (_viewCreation != ViewCreation.Default) throw new InvalidOperationException(ViewRebaseMessage(indirect: true));
        var (baseGeometry, view) = (Geometry.Of(root), Geometry.Of(this));
        _gradFn = Graph.MakeNode("AsStridedBackward0", [root], g => [AsStridedScatter(g, baseGeometry, view)]);
        _outputNr = 0;
        _requiresGrad = true;
        _viewVersion = version;
        return _gradFn;
    }

    /// <summary>
    /// Makes the custom Function node <paramref name="fn"/>, which wrote this view in place (<c>ctx.mark_dirty</c>), its root
    /// base's history through CopySlices, with PyTorch's checks for an in-place write through a view.
    /// </summary>
    internal void RebaseHistory(Node fn)
    {
        // PyTorch 1.13 would turn a leaf base into CopySlices's output here; refused as for built-in in-place ops instead.
        CheckInPlaceOnView();
        RebaseHistory(fn, 0);
    }

    /// <summary>Makes <paramref name="fn"/> (the node of an in-place op just written) this tensor's history, or its root base's through CopySlices.</summary>
    private void RebaseHistory(Node fn, int outputNr)
    {
        if (_viewBase is not { } root)
        {
            var old = _gradFn;
            GradFn = fn;
            _outputNr = outputNr;
            _requiresGrad = true;
            if (_retainsGrad) MoveRetainedGrad(old, fn);
            return;
        }
        var node = new CopySlices(Geometry.Of(root), Geometry.Of(this), fn, Graph.EdgeOf(root));
        root.GradFn = node;
        root._outputNr = 0;
        root._requiresGrad = true;
        // This view's own node is regenerated over CopySlices when next read: the write made its version stale.
    }

    // A retained gradient follows the tensor's new history, as in PyTorch (tensor hooks stay with the old node).
    private void MoveRetainedGrad(Node? old, Node fn)
    {
        if (old?.Hooks?.RetainedOutputs is not { } retained) return;
        int k = retained.FindIndex(e => ReferenceEquals(e.Tensor, this));
        if (k < 0) return;
        retained.RemoveAt(k);
        ((fn.Hooks ??= new()).RetainedOutputs ??= []).Add((this, _outputNr));
    }

    // PyTorch's refusals for an in-place op through a view that will be recorded, in its order.
    private void CheckInPlaceOnView()
    {
        if (_viewCreation != ViewCreation.Default) throw new InvalidOperationException(ViewRebaseMessage(indirect: false));
        if (RequiresGrad && _viewBase!.IsLeaf)
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    private string ViewRebaseMessage(bool indirect)
    {
        string modified = indirect ? "its base or another view of its base has been" : "is being";
        string head = _gradFn is not null
            ? $"Output {_outputNr} of {_gradFn.Name} is a view and {modified} modified inplace."
            : $"A view was created in no_grad mode and {modified} modified inplace with grad mode enabled.";
        return head + (_viewCreation == ViewCreation.MultiOutput
            ? " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. " +
              "You should replace the inplace operation by an out-of-place one."
            : " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace " +
              "either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
    }

    // PyTorch refuses most in-place writes into a tensor whose elements share memory (an expanded one).
    private void CheckNoInternalOverlap()
    {
        if (_contiguous) return;
        for (int i = 0; i < _shape.Length; i++)
            if (_strides[i] == 0 && _shape[i] > 1)
                throw new InvalidOperationException(
                    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
    }
}
