/// ZOPlot: figures rendered to PNG with Cairo — contours, trajectories, loss curves,
/// multi-panel layouts and animations — plus a gnuplot backend for line charts.
public enum ZOPlotInfo {}
