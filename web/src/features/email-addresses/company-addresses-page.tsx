import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../shared/ui/page-header';
import { ExternalAddressList } from './external-address-list';

/** Account management → Email → Outgoing messages → Company external email addresses (M5). */
export function CompanyAddressesPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('addresses.company.title')}
        description={t('addresses.company.description')}
        breadcrumbs={[
          { label: t('nav.accountManagement') },
          { label: t('nav.email') },
          { label: t('nav.outgoingMessages') },
          { label: t('addresses.company.title') },
        ]}
      />
      <ExternalAddressList scope="company" />
    </>
  );
}
