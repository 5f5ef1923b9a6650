/// ZOPlot: figures rendered to PNG with Cairo — contours, trajectories, loss curves,
/// multi-panel layouts and animations — plus a gnuplot backend for line charts.
///
/// Inputs are plain data, so presets can feed any optimizer's output:
/// - ``ContourPlot``: a field `(x, y) → Double` (or a ``ScalarGrid``), ``ContourLevels``
///   (linear, log, explicit), ``Trajectory`` paths, known minima, ``PlotSettings``.
/// - ``LineChart``: ``LineSeries`` of (step, value), log y by default.
/// - ``Figure``: a grid of ``PlotPanel``s with optional row / column headers; `render` gives a
///   ``PlotImage`` to encode or write as PNG.
/// - ``TrajectoryAnimation``: APNG of a contour plot's trajectories growing (``APNGWriter``).
/// - ``GnuplotBackend``: the same line charts through an external gnuplot, if installed.
/// - ``PNGReader``: decodes PNGs (through Cairo) for checks.
///
/// Bad data is drawn (holes, ✗ markers, "(diverged at step k)"); requests that cannot make a
/// figure throw a ``PlotError``. See `docs/plotting.md`.
public enum ZOPlotInfo {}
