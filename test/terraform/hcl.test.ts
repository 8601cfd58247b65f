import { describe, expect, it } from '@jest/globals';
import { HclSyntaxError, parseHcl } from './hcl.js';

describe('parseHcl', () => {
  it('reads blocks, labels, attributes and lines, skipping expressions as HCL delimits them', () => {
    const src = [
      '# comment with { and "',
      'resource "google_storage_bucket" "hub" {',
      '  for_each = { for k, v in var.hubs : k => v', // a for expression over two lines
      '  }',
      '  name = "${var.prefix}-}{-${lookup(var.x, "}", "#")}" // trailing',
      '  policy = <<-EOT',
      '    { "not": "a block" }',
      '    EOT',
      '  /* a { block',
      '     comment */ labels = { a = "b" }',
      '  dynamic "lifecycle_rule" {',
      '    for_each = []',
      '    content { action { type = "Delete" } }',
      '  }',
      '}',
      'locals { x = [1,',
      '  2] }',
    ].join('\n');
    expect(parseHcl(src, 'main.tf')).toEqual({
      attributes: [],
      blocks: [
        {
          type: 'resource',
          labels: ['google_storage_bucket', 'hub'],
          line: 2,
          body: {
            attributes: [
              { name: 'for_each', line: 3, expr: '{ for k, v in var.hubs : k => v\n  }' },
              { name: 'name', line: 5, expr: '"${var.prefix}-}{-${lookup(var.x, "}", "#")}" // trailing' },
              { name: 'policy', line: 6, expr: '<<-EOT\n    { "not": "a block" }\n    EOT' },
              { name: 'labels', line: 10, expr: '{ a = "b" }' },
            ],
            blocks: [
              {
                type: 'dynamic',
                labels: ['lifecycle_rule'],
                line: 11,
                body: {
                  attributes: [{ name: 'for_each', line: 12, expr: '[]' }],
                  blocks: [
                    {
                      type: 'content',
                      labels: [],
                      line: 13,
                      body: {
                        attributes: [],
                        blocks: [
                          {
                            type: 'action',
                            labels: [],
                            line: 13,
                            body: { attributes: [{ name: 'type', line: 13, expr: '"Delete"' }], blocks: [] },
                          },
                        ],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        {
          type: 'locals',
          labels: [],
          line: 16,
          body: { attributes: [{ name: 'x', line: 16, expr: '[1,\n  2]' }], blocks: [] },
        },
      ],
    });
  });

  it.each([
    ['an unclosed block', 'variable "x" {\n  type = string\n', 'a.tf:3: missing } at the end of a block'],
    ['an unterminated string', 'x = "abc\n', 'a.tf:1: newline in a quoted string'],
    ['mismatched brackets', 'x = [1, 2)\n', 'a.tf:1: expected ], found )'],
    ['a stray closing brace', '}\n', 'a.tf:1: unexpected }'],
    ['an attribute without a value', 'x =\ny = 1\n', 'a.tf:1: attribute x has no value'],
  ])('rejects %s with file:line', (_name, src, message) => {
    expect(() => parseHcl(src, 'a.tf')).toThrow(HclSyntaxError);
    expect(() => parseHcl(src, 'a.tf')).toThrow(message);
  });
});
