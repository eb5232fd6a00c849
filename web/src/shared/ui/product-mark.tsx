import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconMailForward } from '@tabler/icons-react';

/** The product's logo and name. */
export function ProductMark() {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={30} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
        <IconMailForward size={18} />
      </ThemeIcon>
      <Text fw={700} size="lg" style={{ letterSpacing: '-0.01em' }}>
        mailroom
      </Text>
    </Group>
  );
}
