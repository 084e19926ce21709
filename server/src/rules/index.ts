import type { AnyRule } from '../engine/rule';
import tfAwsEcrTagImmutability from './terraform/tf-aws-ecr-tag-immutability/rule';

/**
 * Every built-in rule, listed explicitly: adding a rule is one folder under
 * rules/<domain>/ and one line here (the conventions test checks both).
 */
export const builtinRules: readonly AnyRule[] = [tfAwsEcrTagImmutability];
