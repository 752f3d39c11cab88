/** Scoring predictions against true labels: classification report, confusion matrix, ROC/AUC, regression errors. */
export { classificationMetrics, type ClassificationInput, type ClassificationMetrics } from './classification-metrics';
export { classificationReport, type AveragedMetrics, type ClassMetrics, type ClassificationReport } from './classification-report';
export { confusionMatrix, normaliseRows } from './confusion-matrix';
export { rocCurve, type RocCurve, type RocPoint } from './roc-curve';
export { rocReport, type ClassRoc, type RocReport } from './one-vs-rest';
export { regressionMetrics, type RegressionMetrics } from './regression-metrics';
export { EvalError, type EvalErrorCode } from './eval-error';
export { scoreDataset, type DatasetMetrics } from './score-dataset';
export { decisionBoundary, gridBounds, gridPoints, type DecisionBoundary, type GridBounds } from './decision-grid';
