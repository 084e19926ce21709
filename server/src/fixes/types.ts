import type { Finding } from '../engine/finding';
import type { Range } from '../model/location';
import type { HclFile } from '../model/hcl';
import type { YamlDocument, YamlFile } from '../model/yaml';
import type { TerraformModule } from '../terraform/module';

/** A replacement of `range` in document `uri` (ranges of the text the fix was computed on). */
export interface TextEdit {
  readonly uri: string;
  readonly range: Range;
  readonly newText: string;
}

/**
 * One way to repair a finding, computed from the model. The engine checks it
 * before offering it (see verify.ts): the file must still parse, the finding
 * must be gone (unless `placeholder`) and no other finding may appear.
 */
export interface Fix {
  /** What the fix does, as the editor shows it: "Set image_tag_mutability = \"IMMUTABLE\"". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /**
   * The catalog's ⚠replace: applying it makes Terraform replace the resource.
   * Offered with a warning in its title, never part of "fix all".
   */
  readonly forcesReplacement?: boolean;
  /**
   * Inserts `REPLACE_ME` values the author must fill in: the finding stays
   * until they are replaced, so it is never part of "fix all".
   */
  readonly placeholder?: boolean;
  /** The fix the editor offers first (one per finding at most). */
  readonly preferred?: boolean;
}

interface FixContextBase<P> {
  readonly finding: Finding;
  /** The finding's `data` (what the rule recorded for its fix); `{}` when it recorded none. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly params: P;
}

/** A Terraform rule's fix sees the module and the file the finding is in. */
export interface TerraformFixContext<P> extends FixContextBase<P> {
  readonly module: TerraformModule;
  readonly file: HclFile;
}

/** A YAML rule's fix sees the file and the documents of the rule's kind. */
export interface YamlFixContext<P> extends FixContextBase<P> {
  readonly file: YamlFile;
  readonly documents: readonly YamlDocument[];
}

/** The title suffix every ⚠replace fix carries. */
export const REPLACES_RESOURCE = ' (⚠ replaces the resource)';

/** The value placeholder fixes insert (catalog Appendix A). */
export const PLACEHOLDER = 'REPLACE_ME';
