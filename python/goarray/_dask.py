"""goarray arrays as dask.array chunks.

dask is not imported by ``import goarray``: the chunk type is registered
when ``dask.array`` is already imported at that point, and by
:func:`register_dask`, which imports it.

>>> import dask.array as da, goarray as ga
>>> ga.register_dask()
True
>>> x = da.from_array(ga.arange(12.0).reshape(3, 4), chunks=2)
>>> float(x.sum().compute())
66.0
"""
import sys

_registered = False


def register_dask():
    """Register :class:`goarray.Array` as a dask.array chunk type, so that
    dask arrays take precedence over goarray arrays in mixed operations
    (``goarray_array + dask_array`` is a dask array) and dask treats
    goarray chunks as arrays. Returns True once registered; False when the
    installed dask has no chunk-type registry (its query-planning array
    backend raises NotImplementedError there: goarray chunks then work
    through numpy's protocols alone). Raises ImportError without dask."""
    global _registered
    if _registered:
        return True
    import dask.array as da

    from ._array import Array
    register = getattr(da, "register_chunk_type", None)
    if register is None:
        from dask.array.chunk_types import register_chunk_type as register
    try:
        register(Array)
    except NotImplementedError:
        return False
    _registered = True
    return True


def register_if_imported():
    """register_dask() if dask.array is already imported (import goarray)."""
    if "dask.array" in sys.modules:
        try:
            register_dask()
        except Exception:  # noqa: BLE001  (a broken dask must not break import goarray)
            pass
