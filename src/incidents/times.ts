/**
 * Response times of an incident's first public answer (an interim one counts; bot
 * acknowledgements never do — they are not replies). Both clocks domain.md asks for:
 * from the citizen's publication and from our detection.
 */
export interface ResponseTimes {
  fromPublicationMin: number;
  fromDetectionMin: number;
}

export function responseTimes(i: { firstResponseAt: Date | null; detectedAt: Date }, publishedAt: Date | null): ResponseTimes | null {
  if (!i.firstResponseAt) return null;
  const at = i.firstResponseAt.getTime();
  return {
    fromPublicationMin: Math.round((at - (publishedAt ?? i.detectedAt).getTime()) / 60_000),
    fromDetectionMin: Math.round((at - i.detectedAt.getTime()) / 60_000),
  };
}

/** `2 ч 05 мин` */
export function formatMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h ? `${h} ч ${String(m).padStart(2, '0')} мин` : `${m} мин`;
}
