/// ZOTrain: datasets, prompt-based classification objectives, the pre-training and
/// fine-tuning loops with checkpoints and resume, and the optimizer comparison.
public enum ZOTrainInfo {}
