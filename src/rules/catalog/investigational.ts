import { codeListRule } from '../engine/code-list-rule';

/**
 * investigational (Preface-4.8, Preface-3.1): quantitative mp-MRI analysis (0648T, 0649T, 0697T, 0698T)
 * "considered to be investigational and experimental for coverage purposes"; brain volumetry (0865T,
 * 0866T) "not medically necessary in routine clinical practice"; "MRI utilizing Xenon Xe 129 (CPT C9791)
 * ... is considered investigational and experimental". Critical, suggesting removal of the order.
 */
export const investigational = codeListRule({ code: 'investigational', variant: 'investigational', removeWording: 'remove-order' });
