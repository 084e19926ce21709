import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HclParser } from '../parsers/hcl/parser';
import { isDataAsset } from './dataAsset';
import { TerraformModule } from './module';

async function bucket(tags: string): Promise<[TerraformModule, boolean]> {
  const parser = await HclParser.create();
  const m = new TerraformModule('file:///m', [parser.parse('file:///m/main.tf', `variable "common" {}\nresource "aws_s3_bucket" "b" {\n  tags = ${tags}\n}\n`, false)]);
  return [m, isDataAsset(m, m.resource('aws_s3_bucket', 'b')!)];
}

describe('isDataAsset', () => {
  it('a selecting tag proves a data asset, also as the known part of a partial map', async () => {
    assert.equal((await bucket('{ ai-asset-type = "dataset" }'))[1], true);
    assert.equal((await bucket('merge(var.common, { data-classification = "restricted" })'))[1], true);
  });
  it('unknown or unselected tags prove nothing', async () => {
    assert.equal((await bucket('var.common'))[1], false);
    assert.equal((await bucket('{ ai-asset-type = "scratch" }'))[1], false);
    assert.equal((await bucket('merge({ ai-asset-type = "dataset" }, var.common)'))[1], false, 'a later unknown map may override it');
  });
});
