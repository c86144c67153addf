import type { StudyDefinition } from '../../terminology/types';

export type ContrastAgent = 'iodinated' | 'gadolinium';

/**
 * The IV contrast agent a study uses, from its code: CT/CTA with contrast use iodinated contrast; MRI/MRA
 * with contrast use gadolinium ("MRI with or with and without contrast in these guidelines refers to MRI
 * utilizing gadolinium", Preface-3.1). Codes that do not fix contrast (`with-or-without`) return undefined:
 * the service does not guess.
 */
export function contrastAgent(study: StudyDefinition): ContrastAgent | undefined {
  if (study.contrast !== 'with' && study.contrast !== 'without-and-with') return undefined;
  if (study.modality === 'CT' || study.modality === 'CTA') return 'iodinated';
  if (study.modality === 'MRI' || study.modality === 'MRA') return 'gadolinium';
  return undefined;
}

export const isMr = (study: StudyDefinition): boolean => study.modality === 'MRI' || study.modality === 'MRA';
