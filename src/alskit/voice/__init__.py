"""Study 2 (seed 002): ALS versus healthy controls from voice recordings (VOC-ALS) and clinical records.

``wav`` (the VOC-ALS folder, each WAV file found, read and checked), ``workbook`` (the clinical workbook), ``spectra``
(audio clean-up, mel-spectrograms and MFCCs), ``demo`` (a demo folder in the real layout), ``cnn`` (the Table 1
CNN scenarios and the multimodal network), ``cv`` (subject-grouped cross-validation settings), ``evaluate``
(per-recording, per-subject and per-task scores against the trivial answer), ``acoustic`` (openSMILE and Praat
measures with tree and linear models).
"""
