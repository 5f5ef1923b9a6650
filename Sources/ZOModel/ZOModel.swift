/// ZOModel: a GPT-2-style transformer on BLAS (forward, backward, LoRA, prefix-tuning),
/// safetensors checkpoints and tokenizers.
public enum ZOModelInfo {}
