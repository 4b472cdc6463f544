/** Incident kinds (need an answer) and non-incidents. */
export const INCIDENT_KINDS = ['complaint', 'question', 'request', 'suggestion'] as const;
export const KINDS = [...INCIDENT_KINDS, 'thanks', 'noise'] as const;
export type Kind = (typeof KINDS)[number];

export function isIncidentKind(kind: Kind): boolean {
  return (INCIDENT_KINDS as readonly string[]).includes(kind);
}

/** Who made a decision. */
export type ClassifiedBy = 'model' | 'llm' | 'rules' | 'moderator' | 'none';

export interface Classification {
  kind: Kind;
  /** Topic name exactly as in the installation's taxonomy, or null when unknown. */
  topic: string | null;
  /** Department code suggested by the classifier (routing may override), or null. */
  department?: string | null;
  /** 0..1, the classifier's confidence in the topic (kind for non-incidents). */
  confidence: number;
  by: ClassifiedBy;
  /** True when nothing was sure: moderators must look before routing is trusted. */
  needsReview: boolean;
  /** One line for moderators: why this decision. */
  explanation?: string;
  /**
   * The best few topics (up to 3), most likely first, with calibrated probabilities
   * (0..1): moderators' cards show them as one-tap choices. Absent when the
   * classifier has no ranking (rules with no match).
   */
  topTopics?: Array<{ name: string; p: number }>;
  /** The best few department codes (up to 3), most likely first, with calibrated probabilities. */
  topDepartments?: Array<{ code: string; p: number }>;
  /**
   * True when the trained model decided alone at the stored precision target
   * (`classifier.auto_precision`); everything else goes past a moderator.
   */
  auto?: boolean;
}

/** Anything that classifies a normalized text. Never throws for bad text. */
export interface Classifier {
  classify(text: string): Promise<Classification>;
  /**
   * Optional batch path: the same answers as `classify` one by one, for many texts at
   * once (shared set-up is done once). Callers fall back to `classify` when absent.
   */
  classifyMany?(texts: string[]): Promise<Classification[]>;
}
