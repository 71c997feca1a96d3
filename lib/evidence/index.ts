export { captureEvidence, captureSchema, listArtifacts, sha256, toArtifactView, type CaptureResult, type EvidenceArtifactView } from "./capture";
export { buildBundle, verifyEvidence, verifyArtifacts, type Manifest, type VerifyProblem } from "./bundle";
export { tar, untar } from "./tar";
